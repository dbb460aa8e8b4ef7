namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// One Get-DbHealth result: a check, its verdict, what it is about (a database, a table, an index, a session), the measured value
/// and the threshold it was judged against, in words, and what to do about it. Findings of DeadTuples, TableBloat and IndexBloat
/// pipe into Invoke-DbMaintenance (<see cref="Table"/>, <see cref="Index"/>).
/// </summary>
public sealed class DbHealthFinding
{
    public DbHealthCheck Check { get; init; }
    public DbHealthVerdict Verdict { get; init; }
    /// <summary>What the finding is about, e.g. public.listings, the index name, "pid 4242", or the database.</summary>
    public string? Target { get; init; }
    /// <summary>The table (schema.table) the finding is about, when it is about one.</summary>
    public string? Table { get; init; }
    /// <summary>The index (schema.index) the finding is about, when it is about one.</summary>
    public string? Index { get; init; }
    /// <summary>The measured value (a percent, an age, bytes, seconds, a count: see <see cref="Unit"/>), when there is one.</summary>
    public double? Value { get; init; }
    public string? Unit { get; init; }
    /// <summary>The thresholds it was judged against, in words (e.g. "warning at 80 %, critical at 95 %").</summary>
    public string? Threshold { get; init; }
    public string Message { get; init; } = "";
    public string? Recommendation { get; init; }

    public override string ToString() => $"{Check} {Verdict}: {Message}";
}
