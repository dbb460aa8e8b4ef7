namespace RealEstateOps.Engine.Rds;

/// <summary>Which pending maintenance actions Get-DbPendingMaintenance lists: of the instances named (wildcards allowed; none: every instance), of one action, a page size.</summary>
public sealed class DbPendingMaintenanceQuery
{
    public IReadOnlyList<string> DbInstanceIds { get; init; } = Array.Empty<string>();
    /// <summary>Only this action (system-update, db-upgrade, ...), or every action when null.</summary>
    public string? Action { get; init; }
    /// <summary>MaxRecords per request (20 to 100), or the service's default.</summary>
    public int? PageSize { get; init; }
}
