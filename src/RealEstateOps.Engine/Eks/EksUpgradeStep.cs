namespace RealEstateOps.Engine.Eks;

/// <summary>One step of an upgrade's plan: what it changes, from which version to which, and where it stands now.</summary>
public sealed class EksUpgradeStep
{
    /// <summary>1-based position in the plan.</summary>
    public int Number { get; init; }
    public EksUpgradeStepKind Kind { get; init; }
    /// <summary>The cluster, add-on or node group name.</summary>
    public string Name { get; init; } = "";
    /// <summary>What the step concerns as kind/name (the journal's target): cluster/…, addon/…, nodegroup/….</summary>
    public string Target { get; init; } = "";
    /// <summary>The version now: the control plane's or node group's Kubernetes version, or the add-on's version.</summary>
    public string? FromVersion { get; init; }
    /// <summary>The version the step moves it to.</summary>
    public string? ToVersion { get; init; }
    public EksUpgradeStepState State { get; init; }
    /// <summary>The id of the update already running for it, when <see cref="State"/> is InProgress.</summary>
    public string? UpdateId { get; init; }
    /// <summary>What the step does, in words (also its -WhatIf line and journal action).</summary>
    public string Action { get; init; } = "";

    public override string ToString() => $"{Number}. {Action} [{State}]";
}
