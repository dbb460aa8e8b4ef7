namespace RealEstateOps.Engine.Incident;

/// <summary>What New-Incident opens: severity, title, the affected component, optionally a commander and the impact.</summary>
public sealed record NewIncidentRequest
{
    public required IncidentSeverity Severity { get; init; }
    public required string Title { get; init; }
    public required string Component { get; init; }
    public string? Commander { get; init; }
    public string? Impact { get; init; }
    /// <summary>Who opens it (the operator).</summary>
    public required string OpenedBy { get; init; }
    public string? Host { get; init; }
}
