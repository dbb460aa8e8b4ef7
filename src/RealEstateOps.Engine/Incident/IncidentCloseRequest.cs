namespace RealEstateOps.Engine.Incident;

/// <summary>Closes a Resolved incident; with a <see cref="Resolution"/> an open one is resolved (the resolution its summary) and closed at once.</summary>
public sealed record IncidentCloseRequest
{
    public required string Id { get; init; }
    public string? Resolution { get; init; }
    public required string Author { get; init; }
    public string? Host { get; init; }
}
