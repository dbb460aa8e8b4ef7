namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// One user table as Get-DbHealth sees it: live and dead tuples (pg_stat_user_tables), its last (auto)vacuum and (auto)analyze, its size
/// and an estimated bloat (<see cref="PgBloatEstimate"/>: a simple estimate from reltuples and pg_stats' average widths; null when the
/// table was never analyzed).
/// </summary>
public sealed class DbTableHealth
{
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    public string QualifiedName => $"{Schema}.{Name}";
    public long LiveTuples { get; init; }
    public long DeadTuples { get; init; }
    /// <summary>Dead tuples as a percent of live + dead.</summary>
    public double DeadPercent { get; init; }
    public long SizeBytes { get; init; }
    public long? EstimatedBloatBytes { get; init; }
    public double? EstimatedBloatPercent { get; init; }
    public DateTimeOffset? LastVacuum { get; init; }
    public DateTimeOffset? LastAutovacuum { get; init; }
    public DateTimeOffset? LastAnalyze { get; init; }
    public DateTimeOffset? LastAutoanalyze { get; init; }
    /// <summary>The later of <see cref="LastVacuum"/> and <see cref="LastAutovacuum"/>.</summary>
    public DateTimeOffset? LastVacuumed => LastVacuum > LastAutovacuum || LastAutovacuum is null ? LastVacuum : LastAutovacuum;

    public override string ToString() => QualifiedName;
}
