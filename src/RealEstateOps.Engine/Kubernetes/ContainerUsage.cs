namespace RealEstateOps.Engine.Kubernetes;

public sealed class ContainerUsage
{
    public string Name { get; init; } = "";
    public double CpuMillicores { get; init; }
    public double MemoryMiB { get; init; }
}
