namespace RealEstateOps.Engine.Alertmanager;

/// <summary>Which silences to list: by id (each read on its own), by matchers (Alertmanager's filter), by state (filtered here).</summary>
public sealed record AlertSilenceQuery
{
    public IReadOnlyList<string>? Ids { get; init; }
    public IReadOnlyList<AlertMatcher>? Matchers { get; init; }
    public IReadOnlyList<AlertSilenceState>? States { get; init; }
}

/// <summary>Which alerts to list from Alertmanager: filter matchers, and whether silenced, inhibited and unprocessed ones are included.</summary>
public sealed record AlertmanagerAlertQuery
{
    public IReadOnlyList<AlertMatcher>? Matchers { get; init; }
    public bool Active { get; init; } = true;
    public bool Silenced { get; init; } = true;
    public bool Inhibited { get; init; } = true;
    public bool Unprocessed { get; init; } = true;
    public string? Receiver { get; init; }
}

/// <summary>A silence to create. <see cref="StartsAt"/> null means now.</summary>
public sealed record NewAlertSilence
{
    public required IReadOnlyList<AlertMatcher> Matchers { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public required DateTimeOffset EndsAt { get; init; }
    public required string CreatedBy { get; init; }
    public required string Comment { get; init; }
}
