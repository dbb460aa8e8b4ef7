namespace RealEstateOps.Engine.Maintenance;

/// <summary>One occurrence of a kind's maintenance window, seen from a moment (<see cref="At"/>).</summary>
public sealed class MaintenanceWindow
{
    public MaintenanceKind Kind { get; init; }

    /// <summary>The window's rule in canonical form (<c>LastSat 01:00-05:00 UTC</c>).</summary>
    public string Spec { get; init; } = "";

    /// <summary>When this occurrence opens (UTC).</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>When it closes (UTC); the end itself is outside the window.</summary>
    public DateTimeOffset End { get; init; }

    /// <summary>The moment the window was computed for: now, or -At.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Whether <see cref="At"/> is inside this occurrence.</summary>
    public bool IsOpen => Start <= At && At < End;

    /// <summary>Time from <see cref="At"/> until it opens; zero when open.</summary>
    public TimeSpan OpensIn => IsOpen || Start <= At ? TimeSpan.Zero : Start - At;

    /// <summary>Time from <see cref="At"/> until it closes.</summary>
    public TimeSpan ClosesIn => End - At;

    public TimeSpan Length => End - Start;

    /// <summary>As operators read it: <c>open, 2h 5m left</c> or <c>opens in 3d 4h</c>.</summary>
    public string Status => IsOpen ? $"open, {MaintenanceSchedule.Span(ClosesIn)} left" : $"opens in {MaintenanceSchedule.Span(OpensIn)}";

    /// <summary>Where the rule comes from: <c>context 'prod'</c> or <c>built-in default</c>.</summary>
    public string Source { get; init; } = "";

    /// <summary>The context it was read from.</summary>
    public string Context { get; init; } = "";

    /// <summary>Whether that context refuses changes of this kind outside the window.</summary>
    public bool Enforced { get; init; }

    public override string ToString() => $"{Kind} {Start:yyyy-MM-dd HH:mm}-{End:HH:mm} UTC";
}
