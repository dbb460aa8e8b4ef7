namespace RealEstateOps.Engine.Canary;

/// <summary>What a Step-Canary run ended with: its verdict, the weight the canary was left at, its checks and the last measured values.</summary>
public sealed class CanaryResult
{
    public string Namespace { get; init; } = "";
    public string Deployment { get; init; } = "";
    public CanaryVerdict Verdict { get; init; }
    /// <summary>The canary's weight when the run ended (0 after a rollback, 100 after a promotion: all traffic on stable, which runs the new image).</summary>
    public int Weight { get; init; }
    public int ChecksPassed { get; init; }
    public int ChecksFailed { get; init; }
    public double? CanarySuccessRate { get; init; }
    public double? StableSuccessRate { get; init; }
    public double? CanaryP95Ms { get; init; }
    public double? StableP95Ms { get; init; }
    public double? LlmErrorRatePercent { get; init; }
    public string? Image { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyList<CanaryCheck> Checks { get; init; } = Array.Empty<CanaryCheck>();
    public TimeSpan Duration { get; init; }
}
