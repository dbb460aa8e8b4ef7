namespace RealEstateOps.Engine.Eks;

/// <summary>
/// The runbook's "3. Verify" after an upgrade: the control plane at the target, every node's kubelet at the target,
/// every add-on at a version compatible with the target, every deployment available.
/// </summary>
public sealed class EksUpgradeVerification
{
    public string Cluster { get; init; } = "";
    public string TargetVersion { get; init; } = "";
    public string ControlPlaneVersion { get; init; } = "";
    /// <summary>Nodes whose kubelet is not at the target minor, as "name (v1.32.3-eks-…)".</summary>
    public string[] NodesNotAtTarget { get; init; } = Array.Empty<string>();
    /// <summary>Managed node groups not at the target, as "name (1.32)".</summary>
    public string[] NodeGroupsNotAtTarget { get; init; } = Array.Empty<string>();
    /// <summary>Add-ons whose installed version is not compatible with the target, as "name (version)".</summary>
    public string[] AddonsNotCompatible { get; init; } = Array.Empty<string>();
    /// <summary>Deployments without all their replicas available, as "namespace/name (available/desired)".</summary>
    public string[] DeploymentsNotAvailable { get; init; } = Array.Empty<string>();
    public int NodeCount { get; init; }
    public int DeploymentCount { get; init; }
    public string[] Reasons { get; init; } = Array.Empty<string>();
    public bool Passed => Reasons.Length == 0;
    public DateTimeOffset CheckedAt { get; init; }
}
