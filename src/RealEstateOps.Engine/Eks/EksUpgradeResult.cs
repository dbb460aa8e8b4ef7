namespace RealEstateOps.Engine.Eks;

/// <summary>An upgrade run: every step's outcome, the versions before and after, the verification, and how long it took.</summary>
public sealed class EksUpgradeResult
{
    public string Cluster { get; init; } = "";
    public string TargetVersion { get; init; } = "";
    /// <summary>The control plane's version when the run began.</summary>
    public string VersionBefore { get; init; } = "";
    /// <summary>The control plane's version when the run ended (as the verification read it, else as the last step left it).</summary>
    public string VersionAfter { get; init; } = "";
    public EksUpgradeStepResult[] Steps { get; init; } = Array.Empty<EksUpgradeStepResult>();
    public EksUpgradeVerification? Verification { get; init; }
    /// <summary>True when this run resumed an upgrade an earlier run had begun.</summary>
    public bool Resumed { get; init; }
    public bool WhatIf { get; init; }
    public bool Succeeded => !WhatIf && Steps.All(s => s.Outcome is EksUpgradeStepOutcome.Succeeded or EksUpgradeStepOutcome.AlreadyDone) && Verification?.Passed == true;
    /// <summary>The step that failed (or was declined), when one did.</summary>
    public EksUpgradeStepResult? FailedStep => Steps.FirstOrDefault(s => s.Outcome is EksUpgradeStepOutcome.Failed or EksUpgradeStepOutcome.Declined);
    public TimeSpan Duration { get; init; }
}
