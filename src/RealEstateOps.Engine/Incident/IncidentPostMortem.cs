namespace RealEstateOps.Engine.Incident;

/// <summary>A post-mortem written by Export-PostMortem: where, for which incident, when it is due, and what its timeline holds.</summary>
public sealed class IncidentPostMortem
{
    public required string IncidentId { get; init; }
    public required string Path { get; init; }
    /// <summary>48 hours after resolution (null while unresolved).</summary>
    public DateTimeOffset? Due { get; init; }
    public DateTimeOffset WindowStart { get; init; }
    public DateTimeOffset WindowEnd { get; init; }
    public int Notes { get; init; }
    public int JournalEntries { get; init; }
    /// <summary>Alerts that fired in the window; null when they could not be read (<see cref="AlertsNote"/> says why).</summary>
    public int? Alerts { get; init; }
    public string? AlertsNote { get; init; }
}
