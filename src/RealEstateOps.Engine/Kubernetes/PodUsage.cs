namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A pod's usage from metrics.k8s.io (the sum of its containers), as kubectl top pods shows it.</summary>
public sealed class PodUsage
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public double CpuMillicores { get; init; }
    public double MemoryMiB { get; init; }
    public ContainerUsage[] Containers { get; init; } = Array.Empty<ContainerUsage>();
    public DateTimeOffset? Timestamp { get; init; }
}
