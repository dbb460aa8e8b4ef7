namespace RealEstateOps.Engine.Incident;

/// <summary>The runbook's resolution step that matches what the triage found, named as the command to run.</summary>
public sealed class TriageResolution
{
    /// <summary>The cause the evidence points to: ConnectionLimit, Credentials, Network, Overloaded, InstanceUnavailable, Throttling, ProviderErrors, LongPrompts, Capacity, RollBack, None.</summary>
    public string Cause { get; init; } = "None";
    /// <summary>Why: the evidence behind it.</summary>
    public string Reason { get; init; } = "";
    /// <summary>The command(s) to run, in order; null when the evidence points to no resolution step.</summary>
    public string? Command { get; init; }
    /// <summary>The steps whose evidence this rests on.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = Array.Empty<string>();

    public override string ToString() => Command is null ? $"{Cause}: {Reason}" : $"{Cause}: {Reason} Run: {Command}";
}
