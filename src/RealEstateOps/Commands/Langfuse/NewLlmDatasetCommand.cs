using System.Collections;
using System.Management.Automation;
using RealEstateOps.Engine.Langfuse;

namespace RealEstateOps.Commands.Langfuse;

/// <summary>The runbook's dataset step, part one: a Langfuse dataset to collect problematic conversations in (refused when the name is taken).</summary>
[Cmdlet(VerbsCommon.New, "LlmDataset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(LlmDataset))]
public sealed class NewLlmDatasetCommand : LangfuseCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = "";

    [Parameter] public string? Description { get; set; }

    [Parameter] public Hashtable? Metadata { get; set; }

    protected override void ProcessRecordCore()
    {
        Run(ct => Datasets.EnsureNameFreeAsync(Name, ct));
        var metadata = Metadata is null ? null : LangfuseValues.ToJson(Metadata) as System.Text.Json.Nodes.JsonObject;
        var dataset = Change(Name, "Create Langfuse dataset", ct => Datasets.CreateAsync(Name, Description, metadata, ct));
        if (dataset is not null) WriteObject(dataset);
    }
}
