using System.Diagnostics;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

public sealed class ExportRequest
{
    public required DbConnectionRequest Connection { get; init; }
    public required BackupLocation Destination { get; init; }
    /// <summary>Replace an existing file or object (Export-Database -Overwrite).</summary>
    public bool Overwrite { get; init; }
    public string? PgDumpPath { get; init; }
    /// <summary>Opens the object store of an s3:// destination (only asked for such a destination).</summary>
    public Func<IArtifactStore>? S3 { get; init; }
    /// <summary>Tags for an S3 object (source and time).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    /// <summary>pg_dump's gzip level, 0 (none) to 9 (smallest); null keeps pg_dump's default (6).</summary>
    public int? CompressionLevel { get; init; }
    /// <summary>1: one pg_dump -Fc archive; 2 or more: a parallel export of that many workers under an s3:// prefix (<see cref="ParallelExporter"/>).</summary>
    public int Jobs { get; init; } = 1;
}

/// <summary>
/// Export-Database: pg_dump -Fc of a database, streamed as it is written into a file (renamed into
/// place when complete) or an S3 multipart upload (no temporary file), hashed on the way. The
/// connection and password reach pg_dump through its environment and a password file, never argv;
/// pg_dump's major version is checked against the server's first. A failure or Ctrl+C leaves no
/// partial file and no open upload.
/// </summary>
public static class DatabaseExporter
{
    public static async Task<BackupArtifact> ExportAsync(ExportRequest request, CancellationToken ct) => await ExportAsync(request, null, ct).ConfigureAwait(false);

    /// <summary>-Jobs 1: one pg_dump -Fc archive (and its sidecar manifest with the row counts); -Jobs N: <see cref="ParallelExporter"/>.</summary>
    public static async Task<BackupArtifact> ExportAsync(ExportRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (request.Jobs > 1)
            return await new ParallelExporter(request.S3?.Invoke() ?? throw new OpsException("ExportJobsNeedS3", OpsErrorCategory.InvalidArgument,
                $"-Jobs {request.Jobs} writes a prefix of files straight to S3: give an s3://bucket/prefix -Destination (a local file takes -Jobs 1).", request.Destination.ToString()))
                .ExportAsync(request, events, ct).ConfigureAwait(false);
        if (request.Jobs < 1)
            throw new OpsException("ExportJobsInvalid", OpsErrorCategory.InvalidArgument, $"-Jobs must be 1 or more, not {request.Jobs}.", request.Jobs);
        if (request.CompressionLevel is { } level and (< 0 or > 9))
            throw new OpsException("ExportCompressionInvalid", OpsErrorCategory.InvalidArgument, $"Compression level {level} is not valid: use 0 (none) to 9 (smallest).", level);
        var watch = Stopwatch.StartNew();
        // The login and the pg_dump lookup at once: both are read-only checks before anything is written.
        var finding = PgTools.FindAsync("pg_dump", request.PgDumpPath, ct);
        PgTarget target;
        try
        {
            target = await PgTarget.ConnectAsync(request.Connection, ct).ConfigureAwait(false);
        }
        finally
        {
            _ = finding.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }
        var pgDump = await finding.ConfigureAwait(false);
        PgTools.EnsureCanDump(pgDump, target.ServerMajor, target.ServerVersion);
        // The destination is checked (a file's folder and an existing file; an existing S3 object, then the upload opened)
        // before pg_dump starts: a refused export never connects pg_dump, so it leaves nothing in the server's log.
        // The upload is opened without the token (a cancel while S3 starts it would leave it open with no sink to abort it);
        // the token is checked once the sink exists.
        IArtifactSink sink = request.Destination.IsS3
            ? await (request.S3?.Invoke() ?? throw new InvalidOperationException("An s3:// destination needs an S3 store."))
                .OpenUploadAsync(request.Destination.Bucket!, request.Destination.Key!, request.Overwrite, request.Tags, CancellationToken.None).ConfigureAwait(false)
            : new FileSink(request.Destination.FilePath!, request.Overwrite);
        var committed = false;
        try
        {
            ct.ThrowIfCancellationRequested();
            // The dump and the row counts in one snapshot: pg_dump --snapshot of a transaction that counts every table meanwhile.
            await using var snapshot = await PgSnapshot.OpenAsync(target, ct).ConfigureAwait(false);
            var args = new List<string> { "--format=custom", $"--snapshot={snapshot.Id}" };
            if (request.CompressionLevel is { } compress) args.Add($"--compress={compress}");
            var dumping = PgDumpRunner.DumpAsync(pgDump, target, request.Connection, args, sink, ct);
            ExportManifestTable[] counts;
            try
            {
                counts = await snapshot.CountRowsAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                _ = dumping.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }
            var (sha, size) = await dumping.ConfigureAwait(false);
            committed = true;
            var createdAt = DateTimeOffset.UtcNow;
            var manifest = new ExportManifest
            {
                Format = ExportManifest.CustomFormat, Host = target.Builder.Host ?? "", Port = target.Builder.Port, Database = target.Builder.Database ?? "",
                ServerVersion = target.ServerVersion, PgDumpVersion = pgDump.Version, Snapshot = snapshot.Id, SnapshotTime = snapshot.Time,
                Compression = request.CompressionLevel == 0 ? "none" : "gzip", CompressionLevel = request.CompressionLevel ?? 6, Jobs = 1,
                Files = new[] { new ExportManifestFile { Key = request.Destination.IsS3 ? request.Destination.Key! : Path.GetFileName(request.Destination.FilePath!), Kind = "archive", Size = size, Sha256 = sha } },
                Tables = counts, Sequences = snapshot.Sequences, CreatedAt = createdAt,
            };
            // The sidecar <key>.manifest.json, after the archive: the archive is complete without it (Import-Database does not need it).
            if (request.Destination.IsS3)
                await ParallelExporter.PutAsync(request.S3!.Invoke(), request.Destination.Bucket!, request.Destination.Key + ExportManifest.SidecarSuffix, manifest.ToJson(), request.Tags, ct).ConfigureAwait(false);
            else
                FileUtil.WriteAtomic(request.Destination.FilePath + ExportManifest.SidecarSuffix, System.Text.Encoding.UTF8.GetString(manifest.ToJson()), ownerOnly: true);
            return new BackupArtifact
            {
                Location = request.Destination.ToString(), Size = size, Sha256 = sha, Duration = watch.Elapsed,
                Host = target.Builder.Host ?? "", Port = target.Builder.Port, Database = target.Builder.Database ?? "", ServerVersion = target.ServerVersion,
                PgDumpVersion = pgDump.Version, Tables = target.Tables, CreatedAt = createdAt, RowCounts = manifest.RowCounts,
            };
        }
        finally
        {
            if (!committed) await sink.AbortAsync().ConfigureAwait(false);
        }
    }
}
