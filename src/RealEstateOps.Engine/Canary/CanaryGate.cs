namespace RealEstateOps.Engine.Canary;

/// <summary>What a check requires of the canary: a least success rate, a greatest p95 latency, and optionally a greatest LLM error rate.</summary>
public sealed record CanaryGate
{
    public double MinSuccessRatePercent { get; init; } = 99;
    public double MaxLatencyP95Ms { get; init; } = 1000;
    /// <summary>Null: the LLM error rate is not checked.</summary>
    public double? MaxLlmErrorRatePercent { get; init; }
}
