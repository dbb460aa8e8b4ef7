using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

/// <summary>
/// Export-Database -Jobs N: a parallel dump straight to S3 under a prefix, consistent in one snapshot.
/// One transaction exports its snapshot (pg_export_snapshot); N workers import it (SET TRANSACTION SNAPSHOT) and
/// each streams chunks of tables (ctid block ranges, so one large table is split too) as COPY (FORMAT binary), gzip'd
/// on the worker at the export's level, into its own multipart upload as it is read (no local copy), counting the
/// rows on the way; the schema is pg_dump -Fc --section=pre-data and post-data with --snapshot. manifest.json is
/// written last, after every file committed: a failure or Ctrl+C aborts the open uploads, deletes the files already
/// written and writes no manifest, so an incomplete prefix is never taken for an export.
/// </summary>
public sealed class ParallelExporter
{
    private readonly IArtifactStore _store;

    public ParallelExporter(IArtifactStore store) => _store = store;

    /// <summary>Blocks (8 KiB) per chunk at least and at most: enough work per upload, and enough chunks to keep every worker busy.</summary>
    internal long MinChunkBlocks { get; init; } = 1024;
    internal long MaxChunkBlocks { get; init; } = 131072;

    /// <summary>Called before each data file is uploaded (tests make a worker fail here).</summary>
    internal Func<string, Task>? BeforeFile { get; init; }

    private abstract record Work(string Key);
    private sealed record ChunkWork(string Key, PgSnapshotTable Table, long? FromBlock, long? ToBlock) : Work(Key);
    private sealed record SchemaWork(string Key, string Section) : Work(Key);

    public async Task<BackupArtifact> ExportAsync(ExportRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (request.Jobs < 2)
            throw new OpsException("ExportJobsInvalid", OpsErrorCategory.InvalidArgument, $"A parallel export needs 2 or more jobs, not {request.Jobs}.", request.Jobs);
        if (!request.Destination.IsS3)
            throw new OpsException("ExportJobsNeedS3", OpsErrorCategory.InvalidArgument,
                $"-Jobs {request.Jobs} writes a prefix of files straight to S3: give an s3://bucket/prefix -Destination (a local file takes -Jobs 1).", request.Destination.ToString());
        var level = request.CompressionLevel ?? 6;
        if (!GzipReadStream.IsSupported(level))
            throw new OpsException("ExportCompressionUnsupported", OpsErrorCategory.InvalidArgument,
                $"-Jobs {request.Jobs} compresses with zlib levels 0, 1, 6 or 9; {level} is not one of them (use one of those, or -Jobs 1 for pg_dump's own).", level);
        var watch = Stopwatch.StartNew();
        var bucket = request.Destination.Bucket!;
        var prefix = request.Destination.Key!.TrimEnd('/');
        var manifestKey = ExportManifest.KeyFor(prefix);

        var pgDump = await PgTools.FindAsync("pg_dump", request.PgDumpPath, ct).ConfigureAwait(false);
        var target = await PgTarget.ConnectAsync(request.Connection, ct).ConfigureAwait(false);
        PgTools.EnsureCanDump(pgDump, target.ServerMajor, target.ServerVersion);
        if (await _store.ExistsAsync(bucket, manifestKey, ct).ConfigureAwait(false))
        {
            if (!request.Overwrite)
                throw new OpsException("BackupObjectExists", OpsErrorCategory.ResourceExists,
                    $"s3://{bucket}/{prefix}/ already holds an export (its {ExportManifest.FileName}); choose another -Destination, or give -Overwrite to replace it.", $"s3://{bucket}/{prefix}/");
            // First, so that while the new files are written the prefix is never taken for a complete export.
            await _store.DeleteAsync(bucket, manifestKey, ct).ConfigureAwait(false);
            events.Verbose($"Deleted the previous export's {manifestKey} (-Overwrite).");
        }

        await using var snapshot = await PgSnapshot.OpenAsync(target, ct).ConfigureAwait(false);
        events.Verbose($"Snapshot {snapshot.Id} of {target.Describe} at {snapshot.Time:u}: {snapshot.Tables.Length} table(s), {request.Jobs} job(s), gzip {level}.");
        var suffix = level == 0 ? ".bin" : ".bin.gz";
        var work = new List<Work>();
        var chunkBlocks = Math.Clamp(snapshot.Tables.Sum(t => t.Blocks) / (request.Jobs * 4L), MinChunkBlocks, MaxChunkBlocks);
        for (var t = 0; t < snapshot.Tables.Length; t++)
        {
            var table = snapshot.Tables[t];
            var chunks = Math.Max(1, (table.Blocks + chunkBlocks - 1) / chunkBlocks);
            for (var c = 0; c < chunks; c++)
                work.Add(new ChunkWork($"data/{t + 1:D4}-{c + 1:D4}{suffix}", table,
                    c == 0 ? null : c * chunkBlocks, c == chunks - 1 ? null : (c + 1) * chunkBlocks));
        }
        // Largest chunks first (tables come largest first), the two small schema dumps last.
        work.Add(new SchemaWork("pre-data.dump", "pre-data"));
        work.Add(new SchemaWork("post-data.dump", "post-data"));

        var queue = new ConcurrentQueue<Work>(work);
        var written = new ConcurrentBag<ExportManifestFile>();
        var done = 0;
        var committed = false;
        try
        {
            async Task Worker(CancellationToken token)
            {
                NpgsqlConnection? conn = null;
                try
                {
                    while (queue.TryDequeue(out var item))
                    {
                        token.ThrowIfCancellationRequested();
                        var file = item switch
                        {
                            ChunkWork chunk => await ExportChunkAsync(conn ??= await snapshot.OpenWorkerAsync(token).ConfigureAwait(false), chunk, bucket, prefix, level, request.Tags, token).ConfigureAwait(false),
                            SchemaWork schema => await ExportSchemaAsync(pgDump, target, request, snapshot.Id, schema, bucket, prefix, token).ConfigureAwait(false),
                            _ => throw new InvalidOperationException(),
                        };
                        written.Add(file);
                        var n = Interlocked.Increment(ref done);
                        events?.Report(new OpsProgress(1, $"Export-Database -Jobs {request.Jobs} to s3://{bucket}/{prefix}/", $"{n} of {work.Count} files", n * 100 / work.Count));
                    }
                }
                finally
                {
                    if (conn is not null) await conn.DisposeAsync().ConfigureAwait(false);
                }
            }

            await BackupWorkers.RunAsync(request.Jobs, Worker, ct).ConfigureAwait(false);

            var files = written.OrderBy(f => f.Kind == "data" ? 1 : 0).ThenBy(f => f.Key, StringComparer.Ordinal).ToArray();
            var tables = snapshot.Tables.Select(t => new ExportManifestTable
            {
                Name = t.FullName, Schema = t.Schema, Table = t.Name, Columns = t.Columns,
                Rows = files.Where(f => f.Table == t.FullName).Sum(f => f.Rows ?? 0),
            }).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
            var manifest = new ExportManifest
            {
                Format = ExportManifest.ParallelFormat, Host = target.Builder.Host ?? "", Port = target.Builder.Port, Database = target.Builder.Database ?? "",
                ServerVersion = target.ServerVersion, PgDumpVersion = pgDump.Version, Snapshot = snapshot.Id, SnapshotTime = snapshot.Time,
                Compression = level == 0 ? "none" : "gzip", CompressionLevel = level, Jobs = request.Jobs,
                Files = files, Tables = tables, Sequences = snapshot.Sequences, CreatedAt = DateTimeOffset.UtcNow,
            };
            ct.ThrowIfCancellationRequested();
            var manifestSha = await PutAsync(_store, bucket, manifestKey, manifest.ToJson(), request.Tags, ct).ConfigureAwait(false);
            committed = true;
            events.Verbose($"Wrote {files.Length} file(s), {tables.Sum(t => t.Rows)} row(s), then {manifestKey}.");
            return new BackupArtifact
            {
                Location = $"s3://{bucket}/{prefix}", Size = files.Sum(f => f.Size), Sha256 = manifestSha, Duration = watch.Elapsed,
                Host = manifest.Host, Port = manifest.Port, Database = manifest.Database, ServerVersion = manifest.ServerVersion,
                PgDumpVersion = pgDump.Version, Tables = tables.Select(t => t.Name).ToArray(), CreatedAt = manifest.CreatedAt,
                Format = ExportManifest.ParallelFormat, Jobs = request.Jobs, RowCounts = manifest.RowCounts,
            };
        }
        finally
        {
            if (!committed)
            {
                // Open uploads were aborted by their workers; every file this export may have completed is removed (best effort; a
                // commit cut short by Ctrl+C can complete on the server without its answer, so all planned keys, not just the
                // acknowledged ones): no manifest is written.
                foreach (var item in work)
                {
                    try { await _store.DeleteAsync(bucket, $"{prefix}/{item.Key}", CancellationToken.None).ConfigureAwait(false); }
                    catch (OpsException) { }
                }
            }
        }
    }

    private async Task<ExportManifestFile> ExportChunkAsync(NpgsqlConnection conn, ChunkWork chunk, string bucket, string prefix, int level,
        IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
    {
        if (BeforeFile is not null) await BeforeFile(chunk.Key).ConfigureAwait(false);
        var range = (chunk.FromBlock, chunk.ToBlock) switch
        {
            (null, null) => "",
            (long from, null) => $" where ctid >= '({from},0)'::tid",
            (null, long to) => $" where ctid < '({to},0)'::tid",
            (long from, long to) => $" where ctid >= '({from},0)'::tid and ctid < '({to},0)'::tid",
        };
        var key = $"{prefix}/{chunk.Key}";
        // Opened without the token: a cancel while S3 starts the upload could leave it open with no sink to abort it.
        var sink = await _store.OpenUploadAsync(bucket, key, overwrite: true, tags, CancellationToken.None).ConfigureAwait(false);
        var ok = false;
        try
        {
            ct.ThrowIfCancellationRequested();
            var raw = await conn.BeginRawBinaryCopyAsync($"copy (select {chunk.Table.ColumnList} from only {chunk.Table.Quoted}{range}) to stdout (format binary)", ct).ConfigureAwait(false);
            await using var counter = new BinaryCopyRowCounter(raw);
            await using var body = level == 0 ? (Stream)counter : new GzipReadStream(counter, level);
            using var hashing = new HashingStream(body);
            await sink.WriteAllAsync(hashing, ct).ConfigureAwait(false);
            if (!counter.Complete)
                throw new OpsException("ExportIncomplete", OpsErrorCategory.InvalidResult, $"The COPY of {chunk.Table.FullName} for {key} ended before its end marker.", key);
            await sink.CommitAsync(hashing.HashHex(), ct).ConfigureAwait(false);
            ok = true;
            return new ExportManifestFile { Key = chunk.Key, Kind = "data", Table = chunk.Table.FullName, Rows = counter.Rows, Size = hashing.BytesRead, Sha256 = hashing.HashHex() };
        }
        finally
        {
            if (!ok) await sink.AbortAsync().ConfigureAwait(false);
        }
    }

    private async Task<ExportManifestFile> ExportSchemaAsync(PgTool pgDump, PgTarget target, ExportRequest request, string snapshotId, SchemaWork schema,
        string bucket, string prefix, CancellationToken ct)
    {
        var sink = await _store.OpenUploadAsync(bucket, $"{prefix}/{schema.Key}", overwrite: true, request.Tags, CancellationToken.None).ConfigureAwait(false);
        var ok = false;
        try
        {
            ct.ThrowIfCancellationRequested();
            var (sha, size) = await PgDumpRunner.DumpAsync(pgDump, target, request.Connection,
                new[] { "--format=custom", $"--section={schema.Section}", $"--snapshot={snapshotId}" }, sink, ct).ConfigureAwait(false);
            ok = true;
            return new ExportManifestFile { Key = schema.Key, Kind = schema.Section, Size = size, Sha256 = sha };
        }
        finally
        {
            if (!ok) await sink.AbortAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes a small object whole (a manifest) and returns its SHA-256.</summary>
    internal static async Task<string> PutAsync(IArtifactStore store, string bucket, string key, byte[] content, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
    {
        var sink = await store.OpenUploadAsync(bucket, key, overwrite: true, tags, CancellationToken.None).ConfigureAwait(false);
        var ok = false;
        try
        {
            ct.ThrowIfCancellationRequested();
            using var hashing = new HashingStream(new MemoryStream(content, writable: false));
            await sink.WriteAllAsync(hashing, ct).ConfigureAwait(false);
            await sink.CommitAsync(hashing.HashHex(), ct).ConfigureAwait(false);
            ok = true;
            return hashing.HashHex();
        }
        finally
        {
            if (!ok) await sink.AbortAsync().ConfigureAwait(false);
        }
    }
}
