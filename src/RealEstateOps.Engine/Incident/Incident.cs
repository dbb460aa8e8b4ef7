namespace RealEstateOps.Engine.Incident;

/// <summary>
/// An incident as stored, with its clocks evaluated at <see cref="EvaluatedAt"/> (the store's TimeProvider): when the
/// first response and the next stakeholder update are due, and whether either is overdue.
/// </summary>
public sealed class Incident
{
    public required string Id { get; init; }
    public IncidentSeverity Severity { get; init; }
    public required string Title { get; init; }
    public required string Component { get; init; }
    public string? Commander { get; init; }
    public IncidentStatus Status { get; init; }
    public string? Impact { get; init; }
    public string? Summary { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public required string OpenedBy { get; init; }
    /// <summary>The first response: the first note, or a commander taking the incident; null while none.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }
    /// <summary>The last stakeholder update; null while none.</summary>
    public DateTimeOffset? LastUpdateAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>The row's version (optimistic checks on changes).</summary>
    public int Revision { get; init; }
    public int NoteCount { get; init; }

    public DateTimeOffset EvaluatedAt { get; init; }
    public DateTimeOffset ResponseDue => OpenedAt + IncidentClock.ResponseWithin(Severity);
    /// <summary>When the next stakeholder update is due (null: as needed, or no longer open).</summary>
    public DateTimeOffset? UpdateDue => IncidentClock.UpdateEvery(Severity) is { } every && IsOpen ? (LastUpdateAt ?? OpenedAt) + every : null;
    public bool IsOpen => IncidentClock.IsOpen(Status);
    public bool OverdueResponse => IsOpen && AcknowledgedAt is null && EvaluatedAt > ResponseDue;
    public bool OverdueUpdate => UpdateDue is { } due && EvaluatedAt > due;
    public TimeSpan Age => (ClosedAt ?? ResolvedAt ?? EvaluatedAt) - OpenedAt;
    /// <summary>The post-mortem is due 48 hours after resolution.</summary>
    public DateTimeOffset? PostMortemDue => ResolvedAt?.AddHours(48);

    public override string ToString() => $"{Id} {Severity} {Status}: {Title}";
}
