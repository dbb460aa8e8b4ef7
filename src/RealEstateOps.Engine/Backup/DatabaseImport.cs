namespace RealEstateOps.Engine.Backup;

/// <summary>What Import-Database did.</summary>
public sealed class DatabaseImport
{
    public string Source { get; init; } = "";
    public string Host { get; init; } = "";
    public int Port { get; init; }
    public string Database { get; init; } = "";
    /// <summary>True when the target had tables that were replaced (-Replace).</summary>
    public bool Replaced { get; init; }
    public string[] Tables { get; init; } = Array.Empty<string>();
    public long Bytes { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Workers of a parallel import (Import-Database -Jobs); 1 for pg_restore of one archive.</summary>
    public int Jobs { get; init; } = 1;
    /// <summary>Rows restored (a parallel import counts them; null for pg_restore of one archive).</summary>
    public long? Rows { get; init; }

    public int TableCount => Tables.Length;
}
