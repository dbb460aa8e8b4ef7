namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A node's usage from metrics.k8s.io, and its share of the node's allocatable, as kubectl top nodes computes it.</summary>
public sealed class NodeUsage
{
    public string Name { get; init; } = "";
    public double CpuMillicores { get; init; }
    public int CpuPercent { get; init; }
    public double MemoryMiB { get; init; }
    public int MemoryPercent { get; init; }
    public double AllocatableCpuMillicores { get; init; }
    public double AllocatableMemoryMiB { get; init; }
    public string? NodeGroup { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
}
