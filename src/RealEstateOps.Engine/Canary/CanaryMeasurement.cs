namespace RealEstateOps.Engine.Canary;

/// <summary>
/// What one check read over its window: request success rate (percent of requests not answered 5xx) and p95 latency of
/// the canary's pods and of the stable ones, and the LLM error rate when asked. A value is null when there was no data
/// (an empty answer, NaN for 0/0) or its query failed (<see cref="Problems"/> says which).
/// </summary>
public sealed class CanaryMeasurement
{
    public double? CanarySuccessRate { get; init; }
    public double? StableSuccessRate { get; init; }
    public double? CanaryP95Ms { get; init; }
    public double? StableP95Ms { get; init; }
    public double? LlmErrorRatePercent { get; init; }
    public bool LlmMeasured { get; init; }
    public TimeSpan Window { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>Queries that failed (after the client's retries), with their error ids.</summary>
    public IReadOnlyList<string> Problems { get; init; } = Array.Empty<string>();
}
