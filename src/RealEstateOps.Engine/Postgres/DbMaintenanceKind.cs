namespace RealEstateOps.Engine.Postgres;

/// <summary>What an Invoke-DbMaintenance statement does: VACUUM (ANALYZE) of a table, or REINDEX INDEX CONCURRENTLY of an index.</summary>
public enum DbMaintenanceKind
{
    VacuumAnalyze,
    ReindexConcurrently,
}
