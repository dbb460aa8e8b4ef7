using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Langfuse;

namespace RealEstateOps.Commands.Langfuse;

/// <summary>
/// Langfuse traces, newest first, streamed over the observations API's cursor pages: by name, user, tags, level (ERROR:
/// the traces with a failed call, read from that call), a score range (user-feedback by default) and time.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LlmTrace")]
[OutputType(typeof(LlmTrace))]
public sealed class GetLlmTraceCommand : LangfuseCommandBase
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(LlmTraceNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter] public string? UserId { get; set; }

    /// <summary>Tags a trace must all carry.</summary>
    [Parameter] public string[]? Tag { get; set; }

    [Parameter]
    [ValidateSet("Debug", "Default", "Warning", "Error", IgnoreCase = true)]
    public string? Level { get; set; }

    [Parameter] public double? MinScore { get; set; }
    [Parameter] public double? MaxScore { get; set; }

    /// <summary>The numeric score -MinScore/-MaxScore apply to.</summary>
    [Parameter] public string ScoreName { get; set; } = "user-feedback";

    [Parameter] public DateTime? From { get; set; }
    [Parameter] public DateTime? To { get; set; }

    /// <summary>At most this many traces (also the page size, up to 100).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    protected override void ProcessRecordCore()
    {
        var query = new LlmTraceQuery
        {
            Names = Name, UserId = UserId, Tags = Tag,
            Level = Level is null ? null : Enum.Parse<LlmLevel>(Level, ignoreCase: true),
            MinScore = MinScore, MaxScore = MaxScore, ScoreName = ScoreName,
            From = From is { } f ? GetLlmMetricCommand.Utc(f) : null, To = To is { } t ? GetLlmMetricCommand.Utc(t) : null,
            First = First,
        };
        Stream(ct => Queries.ListTracesAsync(query, ct));
    }
}
