namespace RealEstateOps.Engine.Backup;

/// <summary>A pg_dump archive (custom format) that Export-Database wrote and Import-Database restores.</summary>
public sealed class BackupArtifact
{
    /// <summary>A file path or s3://bucket/key.</summary>
    public string Location { get; init; } = "";
    public long Size { get; init; }
    public string Sha256 { get; init; } = "";
    public TimeSpan Duration { get; init; }
    public string Host { get; init; } = "";
    public int Port { get; init; }
    public string Database { get; init; } = "";
    public string ServerVersion { get; init; } = "";
    public string PgDumpVersion { get; init; } = "";
    /// <summary>The tables dumped (schema.table).</summary>
    public string[] Tables { get; init; } = Array.Empty<string>();
    public DateTimeOffset CreatedAt { get; init; }
    public string Format { get; init; } = "custom";
    /// <summary>Workers of a parallel export (Export-Database -Jobs); 1 for a single pg_dump -Fc archive.</summary>
    public int Jobs { get; init; } = 1;
    /// <summary>Exact row counts per table (schema.table) in the dump's snapshot, as its manifest records them.</summary>
    public IReadOnlyDictionary<string, long> RowCounts { get; init; } = new Dictionary<string, long>();

    public double SizeMB => Math.Round(Size / 1024.0 / 1024.0, 2);
    public int TableCount => Tables.Length;

    public override string ToString() => Location;
}
