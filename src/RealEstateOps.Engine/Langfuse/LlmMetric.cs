namespace RealEstateOps.Engine.Langfuse;

/// <summary>
/// LLM metrics of one group (model, trace name, day, or their combination; all generations when not grouped) over a time
/// range, from Langfuse's metrics API: generations, errors (level ERROR) and their rate, token usage, cost, latency
/// percentiles and, when not grouped by model, the average user-feedback score.
/// </summary>
public sealed class LlmMetric
{
    public string? Model { get; init; }
    public string? TraceName { get; init; }
    /// <summary>The day (00:00 UTC) when grouped by day.</summary>
    public DateTimeOffset? Day { get; init; }
    public DateTimeOffset From { get; init; }
    public DateTimeOffset To { get; init; }
    public long Generations { get; init; }
    public long Errors { get; init; }
    /// <summary>Errors per generation, in percent.</summary>
    public double ErrorRatePercent { get; init; }
    /// <summary>Generations that did not fail, in percent (the runbook's completion rate).</summary>
    public double CompletionRatePercent { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long TotalTokens { get; init; }
    /// <summary>US dollars.</summary>
    public decimal Cost { get; init; }
    public double? LatencyP50Ms { get; init; }
    public double? LatencyP95Ms { get; init; }
    public double? LatencyP99Ms { get; init; }
    /// <summary>The average user-feedback score of the group's traces (null when grouped or filtered by model: scores belong to traces).</summary>
    public double? FeedbackScore { get; init; }
    public long FeedbackCount { get; init; }
}
