namespace RealEstateOps.Engine.Langfuse;

/// <summary>What Get-LlmMetric asks Langfuse's metrics API for.</summary>
public sealed record LlmMetricQuery
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public IReadOnlyList<LlmMetricGrouping> GroupBy { get; init; } = Array.Empty<LlmMetricGrouping>();
    public IReadOnlyList<string>? TraceNames { get; init; }
    public IReadOnlyList<string>? Models { get; init; }
    /// <summary>The numeric score averaged as FeedbackScore.</summary>
    public string FeedbackScoreName { get; init; } = "user-feedback";
}
