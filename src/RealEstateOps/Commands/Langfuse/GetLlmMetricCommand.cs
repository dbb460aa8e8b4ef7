using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Langfuse;

namespace RealEstateOps.Commands.Langfuse;

/// <summary>
/// The runbook's LLM metrics from Langfuse's metrics API: generations, errors and error rate (and completion rate), token
/// usage, cost and latency percentiles, by model, trace name and/or day, over -From..-To (the last 24 hours by default).
/// </summary>
[Cmdlet(VerbsCommon.Get, "LlmMetric")]
[OutputType(typeof(LlmMetric))]
public sealed class GetLlmMetricCommand : LangfuseCommandBase
{
    [Parameter] public DateTime? From { get; set; }
    [Parameter] public DateTime? To { get; set; }

    /// <summary>Model (the provider's model name), TraceName, Day (UTC); several combine.</summary>
    [Parameter]
    [ValidateSet("Model", "TraceName", "Day", IgnoreCase = true)]
    public string[]? GroupBy { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(LlmTraceNameCompleter))]
    public string[]? TraceName { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(LlmModelCompleter))]
    public string[]? Model { get; set; }

    protected override void ProcessRecordCore()
    {
        var to = To is { } t ? Utc(t) : DateTimeOffset.UtcNow;
        var from = From is { } f ? Utc(f) : to.AddHours(-24);
        var query = new LlmMetricQuery
        {
            From = from, To = to,
            GroupBy = (GroupBy ?? Array.Empty<string>()).Select(g => Enum.Parse<LlmMetricGrouping>(g, ignoreCase: true)).Distinct().ToList(),
            TraceNames = TraceName, Models = Model,
        };
        WriteVerbose($"LLM metrics from {from:u} to {to:u}{(query.GroupBy.Count > 0 ? " by " + string.Join(", ", query.GroupBy) : "")}.");
        foreach (var metric in Run(ct => Queries.GetMetricsAsync(query, ct))) WriteObject(metric);
    }

    internal static DateTimeOffset Utc(DateTime t) => t.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(t, TimeZoneInfo.Local.GetUtcOffset(t)).ToUniversalTime() : new DateTimeOffset(t.ToUniversalTime());
}
