using System.Collections;
using System.Management.Automation;
using System.Text.Json.Nodes;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Langfuse;

namespace RealEstateOps.Commands.Langfuse;

/// <summary>
/// The runbook's dataset step, part two: items from problematic traces (piped from Get-LlmTrace: their input, the trace
/// as source, what the model answered and why it failed in the metadata), or an input and expected output given by hand.
/// An item from a trace is added once per dataset: adding the trace again updates its item.
/// </summary>
[Cmdlet(VerbsCommon.Add, "LlmDatasetItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(LlmDatasetItem))]
public sealed class AddLlmDatasetItemCommand : LangfuseCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("DatasetName")]
    [ArgumentCompleter(typeof(LlmDatasetNameCompleter))]
    public string Dataset { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SourceTraceId")]
    public string? TraceId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SourceObservationId")]
    public string? ObservationId { get; set; }

    /// <summary>The item's input: JSON text, a hashtable or an object (a trace's Input when piped).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? Input { get; set; }

    [Parameter] public object? ExpectedOutput { get; set; }

    /// <summary>What the model answered (a trace's Output when piped): kept in the item's metadata as observedOutput.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Output")]
    public object? ObservedOutput { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)] public string? Level { get; set; }
    [Parameter(ValueFromPipelineByPropertyName = true)] public string? StatusMessage { get; set; }

    [Parameter] public Hashtable? Metadata { get; set; }

    protected override void ProcessRecordCore()
    {
        if (TraceId is null && Input is null)
            throw new Engine.Common.OpsException("LlmDatasetItemEmpty", Engine.Common.OpsErrorCategory.InvalidArgument,
                "Give -TraceId (or pipe traces from Get-LlmTrace) or -Input for the item.", Dataset);
        var metadata = Metadata is null ? new JsonObject() : LangfuseValues.ToJson(Metadata) as JsonObject ?? new JsonObject();
        if (ObservedOutput is not null) metadata["observedOutput"] = LangfuseValues.ToJson(ObservedOutput);
        if (Level is not null) metadata["level"] = Level.ToUpperInvariant();
        if (StatusMessage is not null) metadata["statusMessage"] = StatusMessage;
        var request = new LlmDatasetItemRequest
        {
            DatasetName = Dataset, Input = LangfuseValues.ToJson(Input), ExpectedOutput = LangfuseValues.ToJson(ExpectedOutput),
            Metadata = metadata.Count == 0 ? null : metadata, SourceTraceId = TraceId, SourceObservationId = ObservationId,
        };
        var target = TraceId is null ? Dataset : $"{Dataset}/{TraceId}";
        var action = TraceId is null ? $"Add an item to Langfuse dataset '{Dataset}'" : $"Add trace {TraceId} to Langfuse dataset '{Dataset}'";
        var item = Change(target, action, ct => Datasets.AddItemAsync(request, ct));
        if (item is not null) WriteObject(item);
    }
}
