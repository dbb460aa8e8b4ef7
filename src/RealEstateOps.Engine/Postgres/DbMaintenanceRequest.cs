namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// What Invoke-DbMaintenance plans: tables to VACUUM (ANALYZE) (named, all, or those with at least <see cref="DeadTupleThreshold"/> dead
/// tuples when nothing is named) and indexes to REINDEX CONCURRENTLY (named, or those Get-DbHealth's estimate finds bloated when
/// <see cref="ReindexBloated"/>). Names are schema.name or name (searched in every schema; ambiguous names are refused) and are matched
/// against the catalog, never pasted into SQL.
/// </summary>
public sealed class DbMaintenanceRequest
{
    public required DbConnectionRequest Connection { get; init; }
    public IReadOnlyList<string> Tables { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Indexes { get; init; } = Array.Empty<string>();
    public bool AllTables { get; init; }
    /// <summary>With nothing named: the tables with at least this many dead tuples.</summary>
    public long DeadTupleThreshold { get; init; } = 1000;
    /// <summary>Also the indexes whose estimated bloat passes <see cref="BloatPercent"/> and <see cref="BloatMinimumBytes"/>.</summary>
    public bool ReindexBloated { get; init; }
    public double BloatPercent { get; init; } = 30;
    public long BloatMinimumBytes { get; init; } = 8L * 1024 * 1024;
    /// <summary>statement_timeout and lock_timeout of every statement.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
