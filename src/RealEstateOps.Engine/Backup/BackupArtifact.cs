namespace RealEstateOps.Engine.Backup;

/// <summary>A pg_dump archive (custom format) that Export-Database wrote and Import-Database restores.</summary>
public sealed class BackupArtifact
{
    /// <summary>A file path or s3://bucket/key.</summary>
    public string Location { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public TimeSpan Duration { get; set; }
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public string Database { get; set; } = "";
    public string ServerVersion { get; set; } = "";
    public string PgDumpVersion { get; set; } = "";
    /// <summary>The tables dumped (schema.table).</summary>
    public string[] Tables { get; set; } = Array.Empty<string>();
    public DateTimeOffset CreatedAt { get; set; }
    public string Format { get; set; } = "custom";

    public double SizeMB => Math.Round(Size / 1024.0 / 1024.0, 2);
    public int TableCount => Tables.Length;

    public override string ToString() => Location;
}

/// <summary>What Import-Database did.</summary>
public sealed class DatabaseImport
{
    public string Source { get; set; } = "";
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public string Database { get; set; } = "";
    /// <summary>True when the target had tables that were replaced (-Replace).</summary>
    public bool Replaced { get; set; }
    public string[] Tables { get; set; } = Array.Empty<string>();
    public long Bytes { get; set; }
    public TimeSpan Duration { get; set; }

    public int TableCount => Tables.Length;
}
