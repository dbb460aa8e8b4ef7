using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

/// <summary>What Test-DbBackup asks for: which backup (a snapshot or an export; the newest when not named), where its scratch copy goes, and the checks.</summary>
public sealed class BackupDrillRequest
{
    public BackupDrillKind Kind { get; init; }

    /// <summary>Snapshot drill: the snapshot (null: the newest available one of <see cref="SourceDbInstanceId"/>).</summary>
    public string? SnapshotId { get; init; }
    public string? SourceDbInstanceId { get; init; }
    /// <summary>Snapshot drill: the scratch instance's class (null: the source's).</summary>
    public string? ScratchInstanceClass { get; init; }
    /// <summary>Snapshot drill: how long the scratch instance may take to become available.</summary>
    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Export drill: the export (null: the newest in <see cref="BackupsBucket"/> under <see cref="ExportPrefix"/>).</summary>
    public BackupLocation? Export { get; init; }
    public string? BackupsBucket { get; init; }
    public string? ExportPrefix { get; init; }
    /// <summary>Export drill: parallel workers for the import of a parallel export (at least 2; a single file is one pg_restore).</summary>
    public int Jobs { get; init; } = 2;

    /// <summary>
    /// The login for the restored copy (user, password or pass file, TLS). For an export drill also the server the scratch database is
    /// made on and the database to connect to while making it; for a snapshot drill the host, port and database are the scratch instance's.
    /// </summary>
    public required DbConnectionRequest Connection { get; init; }

    public IReadOnlyList<string> SmokeQueries { get; init; } = RestoredDatabaseChecker.PlatformSmokeQueries;
}
