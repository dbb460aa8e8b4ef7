namespace RealEstateOps.Engine.Eks;

/// <summary>
/// One verdict of an upgrade pre-flight: which check, about what (the cluster, a node group, a node, an add-on,
/// an insight, a disruption budget, the maintenance window), Pass/Warn/Fail, what was found and what to do about it.
/// </summary>
public sealed class EksReadinessCheck
{
    /// <summary>The check: ControlPlaneVersion, VersionSkew, AddonCompatibility, UpgradeInsight, DisruptionBudget, NodeGroupUpdateConfig, MaintenanceWindow, UpdateInProgress.</summary>
    public string Check { get; init; } = "";
    public EksReadinessResult Result { get; init; }
    /// <summary>What the verdict is about, as kind/name: cluster/real-estate-ai-cluster, nodegroup/standard-nodes, node/ip-10-0-1-21.ec2.internal, addon/coredns, insight/…, pdb/ns/name, window/Kubernetes.</summary>
    public string Subject { get; init; } = "";
    public string Detail { get; init; } = "";
    /// <summary>What to do about a Warn or Fail; null when there is nothing to do.</summary>
    public string? Recommendation { get; init; }
    public string Cluster { get; init; } = "";
    /// <summary>The Kubernetes version the cluster would be upgraded to.</summary>
    public string TargetVersion { get; init; } = "";

    public override string ToString() => $"{Result} {Check} {Subject}: {Detail}";
}
