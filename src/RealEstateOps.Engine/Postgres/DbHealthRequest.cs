namespace RealEstateOps.Engine.Postgres;

/// <summary>What Get-DbHealth reads and the thresholds its verdicts use (defaults are the usual DBA rules of thumb).</summary>
public sealed class DbHealthRequest
{
    public required DbConnectionRequest Connection { get; init; }
    /// <summary>Connections in use, percent of the slots ordinary roles may use.</summary>
    public double ConnectionsWarningPercent { get; init; } = 80;
    public double ConnectionsCriticalPercent { get; init; } = 95;
    /// <summary>Buffer cache hit ratio (percent) below which the verdict is Warning / Critical.</summary>
    public double CacheHitWarningPercent { get; init; } = 95;
    public double CacheHitCriticalPercent { get; init; } = 90;
    /// <summary>age(datfrozenxid) as a percent of the 2^31 transaction ID horizon (wraparound protection stops writes near 100 %).</summary>
    public double WraparoundWarningPercent { get; init; } = 50;
    public double WraparoundCriticalPercent { get; init; } = 75;
    /// <summary>Dead tuples as a percent of live + dead, for tables with at least <see cref="DeadTupleMinimum"/> dead tuples.</summary>
    public double DeadTupleWarningPercent { get; init; } = 10;
    public double DeadTupleCriticalPercent { get; init; } = 30;
    public long DeadTupleMinimum { get; init; } = 1000;
    /// <summary>Estimated bloat as a percent of the relation's size, for relations with at least <see cref="BloatMinimumBytes"/> of estimated bloat.</summary>
    public double BloatWarningPercent { get; init; } = 30;
    public double BloatCriticalPercent { get; init; } = 60;
    public long BloatMinimumBytes { get; init; } = 8L * 1024 * 1024;
    /// <summary>Replication lag (replay) that is a Warning / Critical.</summary>
    public TimeSpan ReplicationLagWarning { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ReplicationLagCritical { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>A transaction open longer than this is a Warning; four times as long a Critical.</summary>
    public TimeSpan LongTransactionThreshold { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>The vector table to check (the platform's property_embeddings) and its embedding column.</summary>
    public string VectorTable { get; init; } = "property_embeddings";
    public string VectorColumn { get; init; } = "embedding";
    /// <summary>Rows sampled for the recall spot check, and the k of its k-nearest-neighbour queries.</summary>
    public int RecallSamples { get; init; } = 5;
    public int RecallK { get; init; } = 10;
    /// <summary>Mean recall (percent) below which the verdict is Warning / Critical.</summary>
    public double RecallWarningPercent { get; init; } = 90;
    public double RecallCriticalPercent { get; init; } = 70;
}
