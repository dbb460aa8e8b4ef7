namespace RealEstateOps.Engine.Postgres;

/// <summary>How one Get-DbHealth check came out. Skipped: the check could not run (no pgvector, a view restricted to pg_monitor, ...) and says why.</summary>
public enum DbHealthVerdict
{
    Ok,
    Skipped,
    Warning,
    Critical,
}
