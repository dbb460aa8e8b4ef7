namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A disruption budget that refused (or would refuse) a pod's eviction, and how many healthy pods it needs.</summary>
public sealed class BudgetBlock
{
    public string Budget { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Pod { get; init; } = "";
    public int? NeedsHealthy { get; init; }
    public int? HasHealthy { get; init; }
    public string Message { get; init; } = "";
    public override string ToString() => $"{Namespace}/{Budget} blocks {Pod}" + (NeedsHealthy is { } n ? $" (needs {n} healthy, has {HasHealthy})" : "");
}
