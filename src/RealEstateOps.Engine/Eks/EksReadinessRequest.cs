namespace RealEstateOps.Engine.Eks;

/// <summary>What an upgrade pre-flight checks: a cluster, for a target Kubernetes version (null: the default target, see <see cref="EksUpgradeTarget"/>).</summary>
public sealed class EksReadinessRequest
{
    public required string ClusterName { get; init; }
    /// <summary>"1.33"; null for the default target.</summary>
    public string? TargetVersion { get; init; }
    /// <summary>The operator chose to ignore the Kubernetes maintenance window: being outside it is a Warn, not a Fail.</summary>
    public bool IgnoreMaintenanceWindow { get; init; }
}
