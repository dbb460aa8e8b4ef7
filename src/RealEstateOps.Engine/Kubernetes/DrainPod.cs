namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A pod a drain concerns: what the drain did with it and, when it was skipped or failed, why.</summary>
public sealed class DrainPod
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public DrainPodDisposition Disposition { get; init; }
    public string? Reason { get; init; }
    public string Uid { get; init; } = "";
    public override string ToString() => Reason is null ? $"{Namespace}/{Name}" : $"{Namespace}/{Name} ({Reason})";
}
