using System.Diagnostics;
using System.Globalization;
using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Backup;

/// <summary>
/// Test-DbBackup, a restore drill: restores a backup into a scratch copy that carries this drill's marker, checks the copy
/// (<see cref="RestoredDatabaseChecker"/>), and removes it, only after reading the marker back: a snapshot into a scratch RDS
/// instance tagged realestateops:drill=&lt;id&gt; (deleted without a final snapshot), an export into a scratch database whose comment
/// is "realestateops:drill &lt;id&gt;" (dropped). A restore that fails is the drill's Restore check failing, not an error; the
/// scratch copy is removed however the drill ends, Ctrl+C included, and one that cannot be removed is named in the result.
/// </summary>
public sealed class BackupDrill
{
    public const string DrillTag = "realestateops:drill";
    public const string BackupTag = "realestateops:backup";
    private const string CommentPrefix = "realestateops:drill ";

    private readonly IRdsClient? _rds;
    private readonly Func<IArtifactStore>? _s3;
    private readonly IArtifactCatalog? _catalog;
    private readonly TimeProvider _time;

    /// <param name="rds">For snapshot drills.</param>
    /// <param name="s3">For exports in S3 (reading them and their manifests).</param>
    /// <param name="catalog">For finding the newest export in the backups bucket.</param>
    public BackupDrill(IRdsClient? rds, Func<IArtifactStore>? s3, IArtifactCatalog? catalog, TimeProvider? time = null)
    {
        _rds = rds;
        _s3 = s3;
        _catalog = catalog;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A new drill id: the marker its scratch copy carries.</summary>
    public static string NewDrillId() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    // ------------------------------------------------------------------ what would be restored (for -WhatIf and the prompt)

    /// <summary>The snapshot a snapshot drill restores: the one named, else the newest available one of the source instance.</summary>
    public async Task<DbSnapshot> FindSnapshotAsync(BackupDrillRequest request, CancellationToken ct)
    {
        var rds = new RdsOperations(Rds);
        if (request.SnapshotId is { } id)
        {
            RdsIdentifiers.ValidateSnapshotRef(id);
            var named = await rds.FindSnapshotAsync(id, ct).ConfigureAwait(false)
                        ?? throw new OpsException("DBSnapshotNotFound", OpsErrorCategory.ObjectNotFound, $"There is no snapshot '{id}'. List them with Get-DbSnapshot.", id);
            return named;
        }
        var source = request.SourceDbInstanceId ?? throw new ArgumentException("A snapshot drill needs the snapshot or its instance.");
        return await rds.GetLatestSnapshotAsync(new SnapshotQuery { DbInstanceId = source }, ct).ConfigureAwait(false)
               ?? throw new OpsException("DbBackupNotFound", OpsErrorCategory.ObjectNotFound,
                   $"Instance '{source}' has no available snapshot to restore; take one with New-DbSnapshot.", source);
    }

    /// <summary>The export an export drill restores: the one named, else the newest in the backups bucket.</summary>
    public async Task<BackupLocation> FindExportAsync(BackupDrillRequest request, CancellationToken ct)
    {
        if (request.Export is { } given) return given;
        if (_catalog is null || request.BackupsBucket is not { Length: > 0 } bucket)
            throw new OpsException("BackupsBucketNotSet", OpsErrorCategory.InvalidArgument,
                "No export to restore: give -Path, or a backups bucket (-BackupsBucket, or Set-OpsContext -BackupsBucket) to take the newest export from.");
        var newest = await new ExportCatalog(_catalog).NewestAsync(bucket, request.ExportPrefix, ct).ConfigureAwait(false)
                     ?? throw new OpsException("DbBackupNotFound", OpsErrorCategory.ObjectNotFound,
                         $"s3://{bucket}/{request.ExportPrefix} holds no export (*.dump, or a prefix with manifest.json); make one with Export-Database.", $"s3://{bucket}/{request.ExportPrefix}");
        return BackupLocation.Parse(newest.Location);
    }

    /// <summary>A scratch instance id from the source's: drill-&lt;source&gt;-&lt;drill id&gt;, within RDS's 63 characters.</summary>
    public static string ScratchInstanceId(string source, string drillId)
    {
        var stem = source.Length > 40 ? source[..40].TrimEnd('-') : source;
        return $"drill-{stem}-{drillId}".Replace("--", "-", StringComparison.Ordinal);
    }

    /// <summary>A scratch database name: reo_drill_&lt;drill id&gt;.</summary>
    public static string ScratchDatabaseName(string drillId) => "reo_drill_" + drillId;

    // ------------------------------------------------------------------ the drill

    public async Task<BackupDrillResult> RunAsync(BackupDrillRequest request, string drillId, IProgress<OpsEvent>? events, IProgress<WaitProgress>? wait, CancellationToken ct) =>
        request.Kind == BackupDrillKind.Snapshot
            ? await RunSnapshotAsync(request, drillId, events, wait, ct).ConfigureAwait(false)
            : await RunExportAsync(request, drillId, events, ct).ConfigureAwait(false);

    private IRdsClient Rds => _rds ?? throw new InvalidOperationException("A snapshot drill needs an RDS client.");

    private async Task<BackupDrillResult> RunSnapshotAsync(BackupDrillRequest request, string drillId, IProgress<OpsEvent>? events, IProgress<WaitProgress>? wait, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var rds = new RdsOperations(Rds);
        var snapshot = await FindSnapshotAsync(request, ct).ConfigureAwait(false);
        if (!snapshot.IsAvailable)
            throw new OpsException("DbSnapshotNotAvailable", OpsErrorCategory.InvalidOperation,
                $"Snapshot '{snapshot.SnapshotId}' is {snapshot.Status}, not available; wait for it with Wait-DbSnapshot.", snapshot.SnapshotId);
        var scratchId = ScratchInstanceId(snapshot.DbInstanceId, drillId);
        var plan = await rds.PrepareRestoreAsync(new RestoreDbInstanceRequest
        {
            DbInstanceId = scratchId, SnapshotId = snapshot.SnapshotId, InstanceClass = request.ScratchInstanceClass,
            MultiAZ = false, PubliclyAccessible = false, DeletionProtection = false, CopyTagsToSnapshot = false,
            Tags = new Dictionary<string, string>(StringComparer.Ordinal) { [DrillTag] = drillId, [BackupTag] = snapshot.SnapshotId },
        }, events, ct).ConfigureAwait(false);

        var checks = new List<BackupDrillCheck>();
        var tables = new List<BackupDrillTable>();
        var created = false;
        (bool Removed, string? Note) removal = (true, null);
        try
        {
            events.Verbose($"Restoring {snapshot.SnapshotId} into the scratch instance {scratchId}.");
            await rds.RestoreAsync(plan.Request, ct).ConfigureAwait(false);
            created = true;
            var restoreWatch = Stopwatch.StartNew();
            var instance = await rds.WaitInstanceAsync(scratchId, request.RestoreTimeout, wait, ct, _time).ConfigureAwait(false);
            checks.Add(new BackupDrillCheck { Name = "Restore", Verdict = BackupDrillVerdict.Pass, Detail = $"{snapshot.SnapshotId} restored into {scratchId} in {Waiter.Format(restoreWatch.Elapsed)}." });
            var connection = With(request.Connection, instance.Address, instance.Port, instance.DbName ?? request.Connection.Database);
            (checks, tables) = await CheckAsync(checks, connection, null, null, request.SmokeQueries, events, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (!ex.IsFatal && !ct.IsCancellationRequested)
        {
            checks.Add(new BackupDrillCheck { Name = "Restore", Verdict = BackupDrillVerdict.Fail, Detail = ex.Message, ErrorId = ex.ErrorId });
        }
        finally
        {
            if (created) removal = await RemoveScratchInstanceAsync(scratchId, drillId, events).ConfigureAwait(false);
        }
        return new BackupDrillResult
        {
            DrillId = drillId, Kind = BackupDrillKind.Snapshot, Backup = snapshot.SnapshotId, BackupTime = snapshot.SnapshotCreateTime, Scratch = scratchId,
            StartedAt = started, Duration = watch.Elapsed, Checks = checks.ToArray(), Tables = tables.ToArray(), ScratchRemoved = removal.Removed, ScratchNote = removal.Note,
        };
    }

    private async Task<BackupDrillResult> RunExportAsync(BackupDrillRequest request, string drillId, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var location = await FindExportAsync(request, ct).ConfigureAwait(false);
        var manifest = await ReadManifestAsync(location, events, ct).ConfigureAwait(false);
        var scratch = ScratchDatabaseName(drillId);
        var server = request.Connection;
        var scratchLabel = $"{server.Host}:{server.Port}/{scratch}";
        await CreateScratchDatabaseAsync(server, scratch, drillId, ct).ConfigureAwait(false);
        events.Verbose($"Created the scratch database {scratchLabel} (comment '{CommentPrefix}{drillId}').");

        var checks = new List<BackupDrillCheck>();
        var tables = new List<BackupDrillTable>();
        (bool Removed, string? Note) removal;
        try
        {
            var target = With(server, server.Host, server.Port, scratch);
            try
            {
                var import = await ImportAsync(request, location, manifest, target, events, ct).ConfigureAwait(false);
                checks.Add(new BackupDrillCheck { Name = "Restore", Verdict = BackupDrillVerdict.Pass, Detail = $"{location} restored into {scratchLabel} in {Waiter.Format(import)}." });
            }
            catch (OpsException ex) when (!ex.IsFatal && !ct.IsCancellationRequested)
            {
                checks.Add(new BackupDrillCheck { Name = "Restore", Verdict = BackupDrillVerdict.Fail, Detail = ex.Message, ErrorId = ex.ErrorId });
            }
            if (checks[0].Passed)
                (checks, tables) = await CheckAsync(checks, target, manifest?.RowCounts, manifest?.Tables.Select(t => t.Name).ToList(), request.SmokeQueries, events, ct).ConfigureAwait(false);
        }
        finally
        {
            removal = await DropScratchDatabaseAsync(server, scratch, drillId, events).ConfigureAwait(false);
        }
        return new BackupDrillResult
        {
            DrillId = drillId, Kind = BackupDrillKind.Export, Backup = location.ToString(), BackupTime = manifest?.SnapshotTime ?? manifest?.CreatedAt, Scratch = scratchLabel,
            StartedAt = started, Duration = watch.Elapsed, Checks = checks.ToArray(), Tables = tables.ToArray(), ScratchRemoved = removal.Removed, ScratchNote = removal.Note,
        };
    }

    private static async Task<(List<BackupDrillCheck>, List<BackupDrillTable>)> CheckAsync(List<BackupDrillCheck> checks, DbConnectionRequest connection,
        IReadOnlyDictionary<string, long>? rows, IReadOnlyCollection<string>? tables, IReadOnlyList<string> smoke, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        try
        {
            var (more, found) = await new RestoredDatabaseChecker().CheckAsync(connection, rows, tables, smoke, events, ct).ConfigureAwait(false);
            checks.AddRange(more);
            return (checks, found);
        }
        catch (Exception ex) when (ex is NpgsqlException or OpsException && !ct.IsCancellationRequested)
        {
            var id = ex is OpsException ops ? ops.ErrorId : "DbBackupCheckFailed";
            checks.Add(new BackupDrillCheck { Name = "Connect", Verdict = BackupDrillVerdict.Fail, Detail = "The restored copy could not be checked: " + Say(ex), ErrorId = id });
            return (checks, new List<BackupDrillTable>());
        }
    }

    /// <summary>The export's manifest (row counts, tables, file hashes), or null for an export without one (an older single-file export).</summary>
    private async Task<ExportManifest?> ReadManifestAsync(BackupLocation location, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        try
        {
            return location.IsS3
                ? await ExportManifest.ReadAsync(Store(), location.Bucket!, location.Key!, ct).ConfigureAwait(false)
                : ExportManifest.ReadFile(location.FilePath!);
        }
        catch (OpsException ex) when (ex.ErrorId == "ExportManifestNotFound" && IsSingleFile(location))
        {
            events.Verbose($"{location} has no manifest (an export made before manifests were written): its rows are counted, not compared.");
            return null;
        }
    }

    /// <summary>A single-file export (a file, or an S3 key ending in .dump) may predate manifests; a parallel export's prefix never does.</summary>
    private static bool IsSingleFile(BackupLocation location) => !location.IsS3 || location.Key!.EndsWith(".dump", StringComparison.Ordinal);

    private IArtifactStore Store() => _s3?.Invoke() ?? throw new InvalidOperationException("An s3:// export needs an S3 store.");

    /// <summary>Restores the export into the scratch database; returns how long it took. A single file's SHA-256 is the manifest's.</summary>
    private async Task<TimeSpan> ImportAsync(BackupDrillRequest request, BackupLocation location, ExportManifest? manifest, DbConnectionRequest target, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var single = manifest is null || manifest.Format == ExportManifest.CustomFormat;
        var import = new ImportRequest
        {
            Connection = target, Source = location, S3 = location.IsS3 ? _s3 : null, Replace = false, Jobs = single ? 1 : Math.Max(2, request.Jobs),
            ExpectedSha256 = single ? manifest?.Files.FirstOrDefault()?.Sha256 : null,
        };
        if (single) await DatabaseImporter.ImportAsync(import, events, ct).ConfigureAwait(false);
        else await new ParallelImporter(Store()).ImportAsync(import, events, ct).ConfigureAwait(false);
        return watch.Elapsed;
    }

    /// <summary>An error's words without anything secret in them: the server's message, else the sanitized exception's.</summary>
    private static string Say(Exception ex) =>
        ex is PostgresException p ? $"{p.SqlState} {p.MessageText}" : ExceptionSanitizer.Sanitize(ex)?.Message ?? ex.GetType().Name;

    // ------------------------------------------------------------------ scratch copies: made with a marker, removed only with it

    private static DbConnectionRequest With(DbConnectionRequest login, string? host, int? port, string? database) => new()
    {
        Host = host, Port = port, Database = database, User = login.User, Password = login.Password, PassFile = login.PassFile,
        SslRootCert = login.SslRootCert, Environment = login.Environment, Timeout = login.Timeout < TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : login.Timeout,
    };

    private static async Task CreateScratchDatabaseAsync(DbConnectionRequest server, string name, string drillId, CancellationToken ct)
    {
        try
        {
            await using var conn = await PgConnect.OpenAsync(server, ct).ConfigureAwait(false);
            await using (var create = new NpgsqlCommand($"create database {RestoredDatabaseChecker.Ident(name)}", conn))
                await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await using var comment = new NpgsqlCommand($"comment on database {RestoredDatabaseChecker.Ident(name)} is '{CommentPrefix}{drillId}'", conn);
            await comment.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw new OpsException("DbBackupScratchNotCreated", ex.SqlState == "42501" ? OpsErrorCategory.PermissionDenied : OpsErrorCategory.InvalidOperation,
                $"Could not make the scratch database {name} on {server.Host}:{server.Port} ({ex.MessageText}); the drill needs a login that may create databases (CREATEDB; the RDS master user can).", name);
        }
    }

    /// <summary>Drops the scratch database, after reading back the comment this drill gave it; anything else of that name is left alone.</summary>
    private static async Task<(bool, string?)> DropScratchDatabaseAsync(DbConnectionRequest server, string name, string drillId, IProgress<OpsEvent>? events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await using var conn = await PgConnect.OpenAsync(server, timeout.Token).ConfigureAwait(false);
            await using (var read = new NpgsqlCommand("select shobj_description(oid, 'pg_database') from pg_database where datname = @name", conn))
            {
                read.Parameters.AddWithValue("name", name);
                var comment = await read.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
                if (comment is null) return (true, null);
                if (comment is not string text || text != CommentPrefix + drillId)
                    return (false, $"The database {name} does not carry this drill's marker ('{CommentPrefix}{drillId}'), so it was left alone.");
            }
            await using var drop = new NpgsqlCommand($"drop database {RestoredDatabaseChecker.Ident(name)} with (force)", conn);
            await drop.ExecuteNonQueryAsync(timeout.Token).ConfigureAwait(false);
            events.Verbose($"Dropped the scratch database {name}.");
            return (true, null);
        }
        catch (Exception ex) when (ex is NpgsqlException or OpsException or OperationCanceledException)
        {
            return (false, $"The scratch database {name} could not be dropped ({Say(ex)}); drop it with: drop database \"{name}\" with (force)");
        }
    }

    /// <summary>Deletes the scratch instance (no final snapshot), after reading back this drill's tag on it; anything else is left alone.</summary>
    private async Task<(bool, string?)> RemoveScratchInstanceAsync(string id, string drillId, IProgress<OpsEvent>? events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            var instance = (await Rds.DescribeDBInstancesAsync(id, null, null, timeout.Token).ConfigureAwait(false)).Items.FirstOrDefault();
            if (instance is null) return (true, null);
            if (!instance.Tags.TryGetValue(DrillTag, out var tag) || tag != drillId)
                return (false, $"The instance {id} does not carry this drill's tag ({DrillTag}={drillId}), so it was left alone.");
            await Rds.DeleteDBInstanceAsync(id, skipFinalSnapshot: true, finalSnapshotId: null, deleteAutomatedBackups: true, timeout.Token).ConfigureAwait(false);
            events.Verbose($"Deleting the scratch instance {id} (no final snapshot).");
            return (true, null);
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException)
        {
            return (false, $"The scratch instance {id} could not be deleted ({Say(ex)}); delete it with: aws rds delete-db-instance --db-instance-identifier {id} --skip-final-snapshot");
        }
    }
}
