namespace RealEstateOps.Engine.Postgres;

/// <summary>The checks Get-DbHealth makes; every finding names one.</summary>
public enum DbHealthCheck
{
    Connections,
    CacheHitRatio,
    Wraparound,
    DeadTuples,
    TableBloat,
    IndexBloat,
    UnusedIndex,
    DuplicateIndex,
    Replication,
    LongTransaction,
    VectorColumn,
    VectorIndex,
    VectorDimensions,
    VectorRecall,
}
