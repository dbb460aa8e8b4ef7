namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// One user index as Get-DbHealth sees it: its table, access method, size, scans since the statistics were reset (pg_stat_user_indexes),
/// whether it backs a unique or primary key constraint, and an estimated bloat for B-tree indexes over plain columns
/// (<see cref="PgBloatEstimate"/>; null otherwise).
/// </summary>
public sealed class DbIndexHealth
{
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    public string Table { get; init; } = "";
    public string QualifiedName => $"{Schema}.{Name}";
    public string AccessMethod { get; init; } = "";
    public string Definition { get; init; } = "";
    public long SizeBytes { get; init; }
    public long Scans { get; init; }
    public bool IsUnique { get; init; }
    public bool IsPrimary { get; init; }
    /// <summary>Backs a constraint (primary key, unique, exclusion): never reported unused.</summary>
    public bool IsConstraint { get; init; }
    public bool IsValid { get; init; } = true;
    public long? EstimatedBloatBytes { get; init; }
    public double? EstimatedBloatPercent { get; init; }

    public override string ToString() => QualifiedName;
}
