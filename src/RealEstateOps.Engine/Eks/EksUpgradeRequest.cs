namespace RealEstateOps.Engine.Eks;

/// <summary>What a whole upgrade does: a cluster to a target minor (null: the default target), and how its add-on and node group updates behave.</summary>
public sealed record EksUpgradeRequest
{
    public required string ClusterName { get; init; }
    /// <summary>"1.33"; null for the default: the next minor, or the control plane's own while node groups still trail it.</summary>
    public string? TargetVersion { get; init; }
    /// <summary>How add-on updates treat fields changed on the cluster (UpdateAddon's resolveConflicts); Preserve keeps them.</summary>
    public EksResolveConflicts ResolveConflicts { get; init; } = EksResolveConflicts.Preserve;
    /// <summary>EKS's force on node group updates: evict pods even when a disruption budget refuses.</summary>
    public bool ForceEvictPastDisruptionBudget { get; init; }
}
