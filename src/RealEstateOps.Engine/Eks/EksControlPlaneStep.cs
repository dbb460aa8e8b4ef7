namespace RealEstateOps.Engine.Eks;

/// <summary>A checked control-plane step (<see cref="EksOperations.CheckControlPlaneStepAsync"/>): the cluster as it is, the target minor, and its managed node groups (all at the current minor).</summary>
public sealed class EksControlPlaneStep
{
    public required EksCluster Cluster { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public IReadOnlyList<EksNodeGroup> NodeGroups { get; init; } = Array.Empty<EksNodeGroup>();

    public override string ToString() => $"{Cluster.Name}: {From} -> {To}";
}
