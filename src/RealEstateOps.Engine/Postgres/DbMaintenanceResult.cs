namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// One maintenance statement run: the statement, how long it took, and the table's dead tuples (VACUUM) or the index's size in bytes
/// (REINDEX) before and after, as the statistics show them right after the statement.
/// </summary>
public sealed class DbMaintenanceResult
{
    public DbMaintenanceKind Kind { get; init; }
    public string Target { get; init; } = "";
    public string Sql { get; init; } = "";
    public DbMaintenanceStatus Status { get; init; }
    public TimeSpan Duration { get; init; }
    public long Before { get; init; }
    public long? After { get; init; }
    /// <summary>What Before and After count: dead tuples or bytes.</summary>
    public string Unit => Kind == DbMaintenanceKind.VacuumAnalyze ? "dead tuples" : "bytes";

    public override string ToString() => $"{Sql} ({Status})";
}
