namespace RealEstateOps.Engine.Eks;

/// <summary>Where a step stands, as read from the cluster itself when the plan is made.</summary>
public enum EksUpgradeStepState
{
    /// <summary>Still to do: no update for it is running.</summary>
    Pending,
    /// <summary>An update for it is already running on AWS (an earlier run was interrupted): the upgrade waits for that one instead of starting another.</summary>
    InProgress,
    /// <summary>Already at the target.</summary>
    Done,
}
