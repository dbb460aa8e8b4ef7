namespace RealEstateOps.Engine.Investigation;

/// <summary>The runbook's "Take Action" step: roll back a recent change, scale for a resource constraint, fall back for an external dependency.</summary>
public enum SuggestedActionKind
{
    None,
    RollBack,
    Scale,
    FallBack,
}

/// <summary>What the runbook says to do given what the investigation found, with the command to run.</summary>
public sealed class SuggestedAction
{
    public SuggestedActionKind Kind { get; init; }
    public string Reason { get; init; } = "";
    /// <summary>The command to run (a cmdlet of this module where there is one).</summary>
    public string? Command { get; init; }

    public override string ToString() => Command is null ? $"{Kind}: {Reason}" : $"{Kind}: {Reason} Run: {Command}";
}
