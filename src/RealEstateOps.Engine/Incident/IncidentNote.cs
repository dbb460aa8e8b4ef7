namespace RealEstateOps.Engine.Incident;

/// <summary>One entry of an incident's timeline, as stored (each one its own row: several writers never overwrite each other).</summary>
public sealed class IncidentNote
{
    public long Id { get; init; }
    public required string IncidentId { get; init; }
    public IncidentNoteKind Kind { get; init; }
    public required string Text { get; init; }
    public required string Author { get; init; }
    public string? Host { get; init; }
    public DateTimeOffset At { get; init; }
}
