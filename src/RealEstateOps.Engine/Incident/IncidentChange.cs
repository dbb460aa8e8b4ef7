namespace RealEstateOps.Engine.Incident;

/// <summary>What Set-Incident changes (null: unchanged); each change is recorded as a StatusChange note by <see cref="Author"/>.</summary>
public sealed record IncidentChange
{
    public required string Id { get; init; }
    public IncidentSeverity? Severity { get; init; }
    public string? Commander { get; init; }
    /// <summary>Investigating, Identified, Mitigated or Resolved (Closed only through <see cref="IncidentOperations.CloseAsync"/>).</summary>
    public IncidentStatus? Status { get; init; }
    /// <summary>What the incident's summary becomes (e.g. the resolution); null: unchanged.</summary>
    public string? Summary { get; init; }
    public required string Author { get; init; }
    public string? Host { get; init; }
}
