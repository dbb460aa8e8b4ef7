namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// Get-DbHealth's one report: the summary numbers (connections, cache hit ratio, the oldest transaction ID age, dead tuples, unused and
/// duplicate indexes, replicas, long transactions, vector search) and every check's verdict as <see cref="Findings"/>, which the operator
/// pipes (Get-DbHealth -Findings). <see cref="Verdict"/> is the worst of them; <see cref="Restricted"/> says which checks saw less because
/// the login is neither a superuser nor a member of pg_monitor.
/// </summary>
public sealed class DbHealthReport
{
    public DateTimeOffset CapturedAt { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? Database { get; init; }
    public string? ConnectedAs { get; init; }
    public string? ServerVersion { get; init; }
    /// <summary>The login is a superuser or a member of pg_monitor: every statistics view shows every session.</summary>
    public bool CanMonitor { get; init; }
    /// <summary>The worst verdict of the findings (Skipped counts as Ok).</summary>
    public DbHealthVerdict Verdict { get; init; }
    public int Warnings { get; init; }
    public int Criticals { get; init; }
    public int ConnectionsInUse { get; init; }
    public int MaxConnections { get; init; }
    public double ConnectionsUsedPercent { get; init; }
    /// <summary>pg_stat_database's blks_hit / (blks_hit + blks_read) of this database, percent; null before any block was read.</summary>
    public double? CacheHitPercent { get; init; }
    /// <summary>The largest age(datfrozenxid) of the server's databases, and which one it is.</summary>
    public long OldestXidAge { get; init; }
    public string? OldestXidDatabase { get; init; }
    public long AutovacuumFreezeMaxAge { get; init; }
    public long DeadTuples { get; init; }
    public int UnusedIndexes { get; init; }
    public int DuplicateIndexes { get; init; }
    /// <summary>Replicas streaming from this server (pg_stat_replication), or -1 when this server is itself a replica.</summary>
    public int Replicas { get; init; }
    public TimeSpan? ReplicationLag { get; init; }
    public int LongTransactions { get; init; }
    public DbVectorHealth? Vector { get; init; }
    public IReadOnlyList<DbTableHealth> Tables { get; init; } = Array.Empty<DbTableHealth>();
    public IReadOnlyList<DbIndexHealth> Indexes { get; init; } = Array.Empty<DbIndexHealth>();
    public IReadOnlyList<DbHealthFinding> Findings { get; init; } = Array.Empty<DbHealthFinding>();
    /// <summary>What the login could not see, one line each (e.g. other roles' sessions without pg_monitor).</summary>
    public IReadOnlyList<string> Restricted { get; init; } = Array.Empty<string>();

    public override string ToString() => $"{Database}: {Verdict} ({Criticals} critical, {Warnings} warning)";
}
