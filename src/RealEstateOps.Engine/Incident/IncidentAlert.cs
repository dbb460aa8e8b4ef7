namespace RealEstateOps.Engine.Incident;

/// <summary>An alert that fired during an incident's window (Prometheus' ALERTS series): its name, labels and when it was seen firing.</summary>
public sealed class IncidentAlert
{
    public required string Name { get; init; }
    public string? Severity { get; init; }
    /// <summary>The alert's other labels, as {k="v", ...}.</summary>
    public string Labels { get; init; } = "";
    public DateTimeOffset FirstSeen { get; init; }
    public DateTimeOffset LastSeen { get; init; }
}
