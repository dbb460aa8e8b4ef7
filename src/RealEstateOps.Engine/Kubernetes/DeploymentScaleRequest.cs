namespace RealEstateOps.Engine.Kubernetes;

/// <summary>kubectl scale deployment NAME --replicas N; scaling to zero (an outage of the service) only with <see cref="AllowZero"/>.</summary>
public sealed class DeploymentScaleRequest
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required int Replicas { get; init; }
    public bool AllowZero { get; init; }
}
