namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// The platform's vector search table (property_embeddings) as Get-DbHealth sees it: whether pgvector is installed, the embedding
/// column's type (vector(n) or real[]), its ANN index (ivfflat or hnsw) if any, the dimensions the rows have, and the recall of the
/// index against an exact search on a few sample rows, or why that was not measured.
/// </summary>
public sealed class DbVectorHealth
{
    public string Table { get; init; } = "";
    public bool TableExists { get; init; }
    public bool PgVectorInstalled { get; init; }
    public string? PgVectorVersion { get; init; }
    /// <summary>The column's type as the server formats it, e.g. vector(16) or real[].</summary>
    public string? ColumnType { get; init; }
    /// <summary>The declared dimension (vector(n)'s n), null for real[] or an unconstrained vector.</summary>
    public int? DeclaredDimensions { get; init; }
    public string? IndexName { get; init; }
    /// <summary>ivfflat, hnsw, or another access method; null without an index on the column.</summary>
    public string? IndexType { get; init; }
    public string? IndexOperatorClass { get; init; }
    public long Rows { get; init; }
    /// <summary>The distinct dimensions the rows have, with how many rows have each.</summary>
    public IReadOnlyDictionary<int, long> Dimensions { get; init; } = new Dictionary<int, long>();
    /// <summary>Mean recall@k (percent) of the index against exact search over the sample rows; null when not measured.</summary>
    public double? RecallPercent { get; init; }
    public int RecallSamples { get; init; }
    public int RecallK { get; init; }
    /// <summary>Why recall was not measured, when it was not.</summary>
    public string? RecallSkippedReason { get; init; }

    public override string ToString() => $"{Table}: {ColumnType ?? "(missing)"}, index {IndexType ?? "none"}";
}
