namespace RealEstateOps.Engine.Eks;

/// <summary>One step of an upgrade run: what it did, the update it ran or resumed, versions before and after, and how long it took.</summary>
public sealed class EksUpgradeStepResult
{
    public int Number { get; init; }
    public EksUpgradeStepKind Kind { get; init; }
    public string Name { get; init; } = "";
    public string Target { get; init; } = "";
    public string Action { get; init; } = "";
    public EksUpgradeStepOutcome Outcome { get; init; }
    /// <summary>The AWS update this step started, or the one already running that it waited for (see <see cref="Resumed"/>).</summary>
    public string? UpdateId { get; init; }
    /// <summary>True when the step attached to an update an earlier run had started.</summary>
    public bool Resumed { get; init; }
    public string? VersionBefore { get; init; }
    public string? VersionAfter { get; init; }
    /// <summary>The version the step moves it to (also under -WhatIf, and for a step that did not run).</summary>
    public string? ToVersion { get; init; }
    public TimeSpan Duration { get; init; }
    public string? ErrorId { get; init; }
    public string? Message { get; init; }

    public override string ToString() => $"{Number}. {Action}: {Outcome}" + (ErrorId is null ? "" : $" ({ErrorId})");
}
