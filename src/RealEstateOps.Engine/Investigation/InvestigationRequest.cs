namespace RealEstateOps.Engine.Investigation;

/// <summary>What to investigate: the alert, the namespace, the window (from <see cref="Start"/> to <see cref="End"/>, default now), the threshold.</summary>
public sealed record InvestigationRequest
{
    /// <summary>HighErrorRate or HighLatencyP95 (<see cref="AlertInvestigator.Alerts"/>).</summary>
    public string Alert { get; init; } = "HighErrorRate";
    public required string Namespace { get; init; }
    public required DateTimeOffset Start { get; init; }
    public DateTimeOffset? End { get; init; }
    /// <summary>In the alert's unit: percent of 5xx answers, or p95 milliseconds. Default: the alert rule's own (5%, 1000 ms).</summary>
    public double? Threshold { get; init; }
    /// <summary>Only these services (Deployment names); all by default.</summary>
    public IReadOnlyList<string>? Services { get; init; }
    /// <summary>How many error patterns per service to keep (default 5).</summary>
    public int TopErrors { get; init; } = 5;
    /// <summary>The journal to read changes from (the operator's); null leaves journal entries out.</summary>
    public string? JournalFile { get; init; }
}
