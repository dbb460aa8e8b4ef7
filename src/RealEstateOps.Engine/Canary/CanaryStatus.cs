namespace RealEstateOps.Engine.Canary;

/// <summary>
/// A canary as the cluster holds it (Get-Canary): its TrafficSplit's weights and the realestateops.io/canary-* annotations
/// (phase, images, checks passed and failed, the last measured success rates and p95 latencies).
/// </summary>
public sealed class CanaryStatus
{
    public string Namespace { get; init; } = "";
    /// <summary>The stable Deployment the canary is for (also the TrafficSplit's name).</summary>
    public string Deployment { get; init; } = "";
    public CanaryPhase Phase { get; init; }
    /// <summary>The canary backend's share of the traffic, in percent.</summary>
    public int Weight { get; init; }
    /// <summary>The TrafficSplit's backends: Service name and weight.</summary>
    public IReadOnlyDictionary<string, int> Backends { get; init; } = new Dictionary<string, int>();
    public string? StableImage { get; init; }
    public string? CanaryImage { get; init; }
    public int ChecksPassed { get; init; }
    public int ChecksFailed { get; init; }
    public double? CanarySuccessRate { get; init; }
    public double? StableSuccessRate { get; init; }
    public double? CanaryP95Ms { get; init; }
    public double? StableP95Ms { get; init; }
    public double? LlmErrorRatePercent { get; init; }
    public DateTimeOffset? LastCheck { get; init; }
    /// <summary>Why the canary was rolled back, when it was.</summary>
    public string? Reason { get; init; }
    public DateTimeOffset? Started { get; init; }
    /// <summary>The TrafficSplit's apiVersion (split.smi-spec.io/v1alpha4, ...).</summary>
    public string TrafficSplitVersion { get; init; } = "";
}
