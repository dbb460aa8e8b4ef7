using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.Backup;

/// <summary>
/// A restore drill (as dbatools' Test-DbaLastBackup does for SQL Server): restores the newest snapshot (or the one named) into a
/// scratch RDS instance, or an export (the newest in the backups bucket, or the one named) into a scratch database, checks it (tables,
/// row counts against the export's manifest, index validity and amcheck, the application's smoke queries), writes one result, and
/// removes the scratch copy, which carries this drill's marker; nothing without that marker is touched. Safe to schedule weekly.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DbBackup", DefaultParameterSetName = SnapshotSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(BackupDrillResult))]
public sealed class TestDbBackupCommand : BackupCommandBase
{
    private const string SnapshotSet = "Snapshot";
    private const string NewestExportSet = "NewestExport";
    private const string ExportPathSet = "ExportPath";

    private readonly OwnedClient<RdsClient> _rds = new();
    private readonly OwnedClient<S3Client> _s3 = new();

    /// <summary>The snapshot to restore (default: the newest available one of the instance); binds from Get-DbSnapshot.</summary>
    [Parameter(Position = 0, ParameterSetName = SnapshotSet, ValueFromPipelineByPropertyName = true)]
    [Alias("SnapshotId")]
    [ArgumentCompleter(typeof(DbSnapshotIdCompleter))]
    public string? DbSnapshotIdentifier { get; set; }

    /// <summary>The instance whose newest snapshot is restored (default: the context's DbInstanceId).</summary>
    [Parameter(ParameterSetName = SnapshotSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    /// <summary>The scratch instance's class (default: the source's).</summary>
    [Parameter(ParameterSetName = SnapshotSet)]
    public string? ScratchInstanceClass { get; set; }

    /// <summary>Restore the newest export in the backups bucket instead of a snapshot.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NewestExportSet)]
    public SwitchParameter Export { get; set; }

    /// <summary>The backups bucket to take the newest export from (default: the context's BackupsBucket).</summary>
    [Parameter(ParameterSetName = NewestExportSet)]
    public string? BackupsBucket { get; set; }

    [Parameter(ParameterSetName = NewestExportSet)]
    public string? ExportPrefix { get; set; }

    /// <summary>The export to restore: s3://bucket/key.dump, s3://bucket/prefix/ of a parallel export, or a file; binds from Export-Database.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ExportPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Location")]
    public string Path { get; set; } = "";

    /// <summary>Export drills: the server the scratch database is made on (default: the context's DbHost) and the database to connect to while making it.</summary>
    [Parameter(ParameterSetName = NewestExportSet)]
    [Parameter(ParameterSetName = ExportPathSet)]
    [Alias("Address", "DbHost")]
    public string? HostName { get; set; }

    [Parameter(ParameterSetName = NewestExportSet)]
    [Parameter(ParameterSetName = ExportPathSet)]
    public int? Port { get; set; }

    [Parameter(ParameterSetName = NewestExportSet)]
    [Parameter(ParameterSetName = ExportPathSet)]
    public string? Database { get; set; }

    /// <summary>Export drills: parallel workers for the import of a parallel export (binds from Export-Database -Jobs).</summary>
    [Parameter(ParameterSetName = NewestExportSet)]
    [Parameter(ParameterSetName = ExportPathSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 32)]
    public int Jobs { get; set; } = 2;

    /// <summary>The queries that must run on the restored copy (default: the platform's smoke queries).</summary>
    [Parameter] public string[]? SmokeQuery { get; set; }

    /// <summary>Snapshot drills: how long the scratch instance may take to become available.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    protected override void ProcessRecordCore()
    {
        var snapshot = ParameterSetName == SnapshotSet;
        var export = ParameterSetName == ExportPathSet ? Location(Path, nameof(Path)) : null;
        var bucket = ParameterSetName == NewestExportSet ? Setting(BackupsBucket, nameof(BackupsBucket), c => c.BackupsBucket)?.Value : null;
        string? source = null;
        if (snapshot && DbSnapshotIdentifier is null)
        {
            source = Setting(DbInstanceId, nameof(DbInstanceId), c => c.DbInstanceId)?.Value
                     ?? throw new OpsException("DbInstanceIdNotSet", OpsErrorCategory.InvalidArgument, "No DB instance: give -DbInstanceId or -DbSnapshotIdentifier, or set DbInstanceId in the context.");
            RdsIdentifiers.ValidateInstanceId(source, nameof(DbInstanceId));
        }
        var request = new BackupDrillRequest
        {
            Kind = snapshot ? BackupDrillKind.Snapshot : BackupDrillKind.Export,
            SnapshotId = DbSnapshotIdentifier, SourceDbInstanceId = source, ScratchInstanceClass = ScratchInstanceClass, RestoreTimeout = Timeout,
            Export = export, BackupsBucket = bucket, ExportPrefix = ExportPrefix, Jobs = Jobs,
            Connection = Connection(snapshot ? null : HostName, snapshot ? null : Port, snapshot ? null : Database),
            SmokeQueries = SmokeQuery is { Length: > 0 } given ? given : RestoredDatabaseChecker.PlatformSmokeQueries,
        };
        var store = export is { IsS3: true } || bucket is not null ? S3Store() : null;
        var drill = new BackupDrill(snapshot ? OpenRds(_rds) : null,
            store is null ? null : () => store,
            bucket is not null ? new S3ArtifactCatalog(OpenS3(_s3)) : null);
        var drillId = BackupDrill.NewDrillId();

        // What would be restored, read before asking: the prompt and -WhatIf name it.
        string target, action;
        if (snapshot)
        {
            var found = Run(ct => drill.FindSnapshotAsync(request, ct));
            request = Pin(request, found.SnapshotId);
            target = found.SnapshotId;
            action = $"Restore into the scratch instance {BackupDrill.ScratchInstanceId(found.DbInstanceId, drillId)}, check it, and delete it";
        }
        else
        {
            var found = Run(ct => drill.FindExportAsync(request, ct));
            request = Pin(request, found);
            target = found.ToString();
            action = $"Restore into the scratch database {BackupDrill.ScratchDatabaseName(drillId)} on {request.Connection.Host}:{request.Connection.Port}, check it, and drop it";
        }
        var result = ChangeJudged(target, action,
            ct => drill.RunAsync(request, drillId, Listener, WaitProgress(), ct),
            r => r.Passed ? null : Failure(r));
        if (result is null) return;
        WriteObject(result);
        if (!result.ScratchRemoved && result.ScratchNote is { } note) WriteWarning(note);
        if (!result.Passed) WriteOpsError(Failure(result));
    }

    private static BackupDrillRequest Pin(BackupDrillRequest r, string snapshotId) => new()
    {
        Kind = r.Kind, SnapshotId = snapshotId, SourceDbInstanceId = r.SourceDbInstanceId, ScratchInstanceClass = r.ScratchInstanceClass, RestoreTimeout = r.RestoreTimeout,
        Connection = r.Connection, SmokeQueries = r.SmokeQueries,
    };

    private static BackupDrillRequest Pin(BackupDrillRequest r, BackupLocation export) => new()
    {
        Kind = r.Kind, Export = export, Jobs = r.Jobs, Connection = r.Connection, SmokeQueries = r.SmokeQueries,
    };

    private static OpsException Failure(BackupDrillResult r) =>
        new("DbBackupDrillFailed", OpsErrorCategory.InvalidResult,
            $"The restore drill of {r.Backup} failed: " + string.Join("; ", r.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}")), r.Backup);

    protected override void ReleaseResources()
    {
        base.ReleaseResources();
        _rds.Release();
        _s3.Release();
    }
}
