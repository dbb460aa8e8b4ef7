namespace RealEstateOps.Engine.Eks;

/// <summary>How a step of an upgrade run ended.</summary>
public enum EksUpgradeStepOutcome
{
    /// <summary>Its update ran (or the verification passed) in this run.</summary>
    Succeeded,
    /// <summary>It was already at the target when the run began: nothing was sent.</summary>
    AlreadyDone,
    /// <summary>-WhatIf: what it would do, nothing sent.</summary>
    WhatIf,
    /// <summary>The operator declined it at the prompt.</summary>
    Declined,
    /// <summary>It failed; the upgrade stopped here.</summary>
    Failed,
    /// <summary>An earlier step failed, was declined or stopped, so it did not run.</summary>
    NotRun,
}
