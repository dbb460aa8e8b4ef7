namespace RealEstateOps.Engine.Kubernetes;

/// <summary>One revision of a deployment (one replica set), as kubectl rollout history lists it.</summary>
public sealed class RolloutRevision
{
    public string Namespace { get; init; } = "";
    public string Deployment { get; init; } = "";
    public int Revision { get; init; }
    public string? ChangeCause { get; init; }
    public string ReplicaSet { get; init; } = "";
    public string[] Images { get; init; } = Array.Empty<string>();
    public int Replicas { get; init; }
    public DateTimeOffset? Created { get; init; }
    public bool IsCurrent { get; init; }
}
