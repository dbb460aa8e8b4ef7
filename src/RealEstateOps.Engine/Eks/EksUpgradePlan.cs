namespace RealEstateOps.Engine.Eks;

/// <summary>The whole upgrade as read from the cluster: its versions now, the target, and every step with where it stands.</summary>
public sealed class EksUpgradePlan
{
    public string Cluster { get; init; } = "";
    /// <summary>The control plane's version when the plan was made.</summary>
    public string ControlPlaneVersion { get; init; } = "";
    public string TargetVersion { get; init; } = "";
    public EksUpgradeStep[] Steps { get; init; } = Array.Empty<EksUpgradeStep>();
    /// <summary>Steps still to run (pending or in progress), the final verification included.</summary>
    public EksUpgradeStep[] Remaining => Steps.Where(s => s.State != EksUpgradeStepState.Done).ToArray();
    /// <summary>True when an earlier run left something done or running: this run resumes it.</summary>
    public bool IsResume => Steps.Any(s => s.Kind != EksUpgradeStepKind.Verify && s.State != EksUpgradeStepState.Pending)
                            && Steps.Any(s => s.Kind != EksUpgradeStepKind.Verify && s.State != EksUpgradeStepState.Done);
}
