using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

/// <summary>
/// Import-Database -Jobs N of an Export-Database -Jobs prefix. The manifest is read and every file's SHA-256 is
/// verified first (N files at once, each read pinned to its ETag), so a damaged or changed file is
/// ExportChecksumMismatch before the target is touched. Then: the schema's pre-data (pg_restore, one transaction);
/// the rows, by N workers, each streaming its share of the data files (gunzip'd on the way) into COPY FROM STDIN
/// (FORMAT binary) inside ONE transaction per worker, hashing and counting the rows again; the workers commit only when
/// all of them finished with every hash and row count matching, otherwise all roll back; the sequences (setval); the
/// post-data (indexes, constraints) with pg_restore -j N from a private 0700 temp folder (pg_restore -j needs a file).
/// A failure after the pre-data leaves the export's schema with empty tables (the error says so). -Replace drops the
/// export's tables from a non-empty target first (CASCADE) and restores pre-data with --clean --if-exists: unlike -Jobs 1
/// it is not one transaction with the rows.
/// </summary>
public sealed class ParallelImporter
{
    private readonly IArtifactStore _store;

    public ParallelImporter(IArtifactStore store) => _store = store;

    internal static IArtifactStore StoreOf(ImportRequest request) =>
        request.Source.IsS3 && request.S3 is not null
            ? request.S3.Invoke()
            : throw new OpsException("ImportJobsNeedS3", OpsErrorCategory.InvalidArgument,
                $"-Jobs {request.Jobs} restores a parallel export: give its s3://bucket/prefix as -Source (a single archive takes -Jobs 1).", request.Source.ToString());

    /// <summary>Called before each data file is restored (tests).</summary>
    internal Func<string, Task>? BeforeFile { get; init; }

    /// <summary>The checks before any change: the manifest, every file's SHA-256 and size, the target reachable and empty.</summary>
    public async Task CheckAsync(ImportRequest request, IProgress<OpsEvent>? events, CancellationToken ct) => await PrepareAsync(request, events, ct).ConfigureAwait(false);

    private static string PrefixOf(ImportRequest request) => request.Source.Key!.TrimEnd('/');

    private async Task<(PgTarget Target, ExportManifest Manifest, Dictionary<string, string> ETags)> PrepareAsync(ImportRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (request.Jobs < 2)
            throw new OpsException("ImportJobsInvalid", OpsErrorCategory.InvalidArgument, $"A parallel import needs 2 or more jobs, not {request.Jobs}.", request.Jobs);
        var bucket = request.Source.Bucket!;
        var prefix = PrefixOf(request);
        if (request.VerifiedExport is not { } verified)
        {
            var (manifest, manifestSha) = await ExportManifest.ReadWithHashAsync(_store, bucket, ExportManifest.KeyFor(prefix), prefix, ct).ConfigureAwait(false);
            if (manifest.Format != ExportManifest.ParallelFormat)
                throw new OpsException("ExportManifestInvalid", OpsErrorCategory.InvalidData,
                    $"s3://{bucket}/{prefix}/ is a {manifest.Format} export, not a parallel one: import its archive with -Jobs 1.", request.Source.ToString());
            if (!string.IsNullOrWhiteSpace(request.ExpectedSha256) && !request.ExpectedSha256.Trim().Equals(manifestSha, StringComparison.OrdinalIgnoreCase))
                throw new OpsException("ExportChecksumMismatch", OpsErrorCategory.InvalidData,
                    $"The manifest of s3://{bucket}/{prefix}/ has SHA-256 {manifestSha}, not the {request.ExpectedSha256.Trim().ToLowerInvariant()} given (-Sha256): it is another export, or it changed. Nothing was restored.", request.Source.ToString());
            var etags = new ConcurrentDictionary<string, string>();
            await Parallel.ForEachAsync(manifest.Files, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(request.Jobs, 4), CancellationToken = ct }, async (file, token) =>
            {
                var key = $"{prefix}/{file.Key}";
                var info = await _store.HeadAsync(bucket, key, token).ConfigureAwait(false);
                await using var stream = await _store.OpenReadAsync(bucket, key, info.ETag, token).ConfigureAwait(false);
                using var hashing = new HashingStream(stream);
                await hashing.CopyToAsync(Stream.Null, 1 << 20, token).ConfigureAwait(false);
                if (hashing.HashHex() != file.Sha256 || hashing.BytesRead != file.Size)
                    throw ChecksumMismatch(bucket, key, hashing.HashHex(), hashing.BytesRead, file, "Nothing was restored: every file is verified before the target is touched.");
                etags[file.Key] = info.ETag;
            }).ConfigureAwait(false);
            events.Verbose($"Verified {manifest.Files.Length} file(s) of s3://{bucket}/{prefix}/ against their SHA-256 in the manifest.");
            verified = (manifest, new Dictionary<string, string>(etags));
            request.VerifiedExport = verified;
        }
        var target = await PgTarget.ConnectAsync(request.Connection, ct).ConfigureAwait(false);
        if (target.Tables.Length > 0 && !request.Replace) throw DatabaseImporter.TargetNotEmpty(target);
        return (target, verified.Manifest, verified.ETags);
    }

    private static OpsException ChecksumMismatch(string bucket, string key, string actual, long size, ExportManifestFile file, string state) =>
        new("ExportChecksumMismatch", OpsErrorCategory.InvalidData,
            $"s3://{bucket}/{key} has SHA-256 {actual} ({size} bytes), not the {file.Sha256} ({file.Size} bytes) its manifest records: it changed or is damaged. {state}",
            $"s3://{bucket}/{key}");

    public async Task<DatabaseImport> ImportAsync(ImportRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var (target, manifest, etags) = await PrepareAsync(request, events, ct).ConfigureAwait(false);
        var pgRestore = await PgTools.FindAsync("pg_restore", request.PgRestorePath, ct).ConfigureAwait(false);
        var bucket = request.Source.Bucket!;
        var prefix = PrefixOf(request);
        var db = target.Builder.Database!;
        var files = manifest.Files.ToDictionary(f => f.Kind == "data" ? f.Key : f.Kind);
        var tables = manifest.Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);

        // 0. -Replace: the export's tables are dropped (CASCADE: also other tables' foreign keys to them), then pre-data --clean
        // replaces the rest of what it holds. Not atomic with the rows as -Jobs 1 is: a failure later leaves those tables empty.
        var replacing = target.Tables.Length > 0;
        if (replacing)
        {
            await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.Builder.ConnectionString) { Pooling = false, Enlist = false }.ConnectionString);
            await conn.OpenAsync(ct).ConfigureAwait(false);
            await using var drop = new NpgsqlCommand(string.Concat(manifest.Tables.Select(t => $"drop table if exists {PgSnapshot.Quote(t.Schema)}.{PgSnapshot.Quote(t.Table)} cascade; ")), conn);
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            drop.Transaction = tx;
            await drop.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            events.Verbose($"Dropped the {manifest.Tables.Length} table(s) the export holds from {target.Describe} (-Replace).");
        }

        // 1. Pre-data, in one transaction.
        var pre = files["pre-data"];
        await using (var stream = await OpenVerifiedAsync(bucket, prefix, pre, etags, ct).ConfigureAwait(false))
        {
            using var hashing = new HashingStream(stream);
            await PgDumpRunner.RestoreAsync(pgRestore, target, request.Connection,
                new[] { "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", db }.Concat(replacing ? new[] { "--clean", "--if-exists" } : Array.Empty<string>()), hashing, $"s3://{bucket}/{prefix}/{pre.Key}", ct).ConfigureAwait(false);
            if (hashing.HashHex() != pre.Sha256)
                throw ChecksumMismatch(bucket, $"{prefix}/{pre.Key}", hashing.HashHex(), hashing.BytesRead, pre, "It changed after it was verified.");
        }
        const string SchemaOnly = "The target now holds the export's schema with empty tables (every worker's transaction rolled back): drop and re-create the database before importing again.";

        // 2. The rows: N workers, one transaction each, committed together only when every file restored and matched.
        var queue = new ConcurrentQueue<ExportManifestFile>(manifest.Files.Where(f => f.Kind == "data").OrderByDescending(f => f.Size));
        var dataCount = queue.Count;
        var connections = new ConcurrentBag<NpgsqlConnection>();
        var cs = new NpgsqlConnectionStringBuilder(target.Builder.ConnectionString) { Pooling = false, Enlist = false, CommandTimeout = 0 }.ConnectionString;
        long rows = 0, bytes = 0;
        var done = 0;
        try
        {
            async Task Worker(CancellationToken token)
            {
                NpgsqlConnection? conn = null;
                while (queue.TryDequeue(out var file))
                {
                    token.ThrowIfCancellationRequested();
                    if (conn is null)
                    {
                        conn = new NpgsqlConnection(cs);
                        connections.Add(conn);
                        await conn.OpenAsync(token).ConfigureAwait(false);
                        await using var begin = new NpgsqlCommand("begin; set local synchronous_commit = off", conn);
                        await begin.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                    }
                    var loaded = await RestoreFileAsync(conn, bucket, prefix, file, tables[file.Table!], manifest.Compression, etags, token).ConfigureAwait(false);
                    Interlocked.Add(ref rows, loaded);
                    Interlocked.Add(ref bytes, file.Size);
                    var n = Interlocked.Increment(ref done);
                    events?.Report(new OpsProgress(1, $"Import-Database -Jobs {request.Jobs} into {target.Describe}", $"{n} of {dataCount} data files", n * 100 / Math.Max(1, dataCount)));
                }
            }
            try
            {
                await BackupWorkers.RunAsync(request.Jobs, Worker, ct).ConfigureAwait(false);
            }
            catch (OpsException ops)
            {
                throw new OpsException(ops.ErrorId, ops.Category, $"{ops.Message} {SchemaOnly}", ops.Target, ops);
            }
            catch (NpgsqlException pg)
            {
                throw new OpsException("PgRestoreFailed", OpsErrorCategory.InvalidResult, $"Restoring the rows into {target.Describe} failed: {Redaction.ScrubConnectionString(pg.Message)} {SchemaOnly}", target.Describe, pg);
            }
            foreach (var conn in connections)
            {
                await using var commit = new NpgsqlCommand("commit", conn);
                await commit.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var conn in connections) await conn.DisposeAsync().ConfigureAwait(false); // an open transaction rolls back
        }
        events.Verbose($"Restored {rows} row(s) from {dataCount} data file(s) with {request.Jobs} worker(s).");

        // 3. Sequences, as pg_dump's SEQUENCE SET would.
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync(ct).ConfigureAwait(false);
            foreach (var seq in manifest.Sequences)
            {
                var dot = seq.Name.IndexOf('.');
                await using var cmd = new NpgsqlCommand("select pg_catalog.setval($1::regclass, $2, $3)", conn);
                cmd.Parameters.AddWithValue($"{PgSnapshot.Quote(seq.Name[..dot])}.{PgSnapshot.Quote(seq.Name[(dot + 1)..])}");
                cmd.Parameters.AddWithValue(seq.LastValue);
                cmd.Parameters.AddWithValue(seq.IsCalled);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        // 4. Post-data (indexes, constraints, triggers) with pg_restore -j N, which needs a file: a private temp folder, removed after.
        var post = files["post-data"];
        var folder = Path.Combine(Path.GetTempPath(), "realestateops-import-" + Guid.NewGuid().ToString("N")[..12]);
        FileUtil.CreatePrivateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "post-data.dump");
            await using (var stream = await OpenVerifiedAsync(bucket, prefix, post, etags, ct).ConfigureAwait(false))
            await using (var file = new FileStream(path, FileUtil.CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None, ownerOnly: true, 1 << 16)))
            {
                using var hashing = new HashingStream(stream);
                await hashing.CopyToAsync(file, ct).ConfigureAwait(false);
                if (hashing.HashHex() != post.Sha256)
                    throw ChecksumMismatch(bucket, $"{prefix}/{post.Key}", hashing.HashHex(), hashing.BytesRead, post,
                        "It changed after it was verified: the target has the rows but none of the export's indexes or constraints.");
            }
            await PgDumpRunner.RestoreAsync(pgRestore, target, request.Connection,
                new[] { "--no-owner", "--no-privileges", "--exit-on-error", $"--jobs={request.Jobs}", "--dbname", db, path }, null, $"s3://{bucket}/{prefix}/{post.Key}", ct).ConfigureAwait(false);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        var after = await PgTarget.ConnectAsync(request.Connection, ct).ConfigureAwait(false);
        return new DatabaseImport
        {
            Source = $"s3://{bucket}/{prefix}/", Host = target.Builder.Host ?? "", Port = target.Builder.Port, Database = db,
            Replaced = replacing, Tables = after.Tables, Bytes = bytes + pre.Size + post.Size, Duration = watch.Elapsed, Jobs = request.Jobs, Rows = rows,
        };
    }

    private Task<Stream> OpenVerifiedAsync(string bucket, string prefix, ExportManifestFile file, Dictionary<string, string> etags, CancellationToken ct) =>
        _store.OpenReadAsync(bucket, $"{prefix}/{file.Key}", etags.GetValueOrDefault(file.Key), ct);

    private async Task<long> RestoreFileAsync(NpgsqlConnection conn, string bucket, string prefix, ExportManifestFile file, ExportManifestTable table, string compression,
        Dictionary<string, string> etags, CancellationToken ct)
    {
        if (BeforeFile is not null) await BeforeFile(file.Key).ConfigureAwait(false);
        await using var stream = await OpenVerifiedAsync(bucket, prefix, file, etags, ct).ConfigureAwait(false);
        using var hashing = new HashingStream(stream);
        await using var plain = compression == "gzip" ? new GZipStream(hashing, CompressionMode.Decompress, leaveOpen: true) : (Stream)hashing;
        var counter = new BinaryCopyRowCounter(plain);
        var columns = table.Columns is { Length: > 0 } c ? " (" + string.Join(", ", c.Select(PgSnapshot.Quote)) + ")" : "";
        await using (var copy = await conn.BeginRawBinaryCopyAsync($"copy {PgSnapshot.Quote(table.Schema)}.{PgSnapshot.Quote(table.Table)}{columns} from stdin (format binary)", ct).ConfigureAwait(false))
        {
            try
            {
                await counter.CopyToAsync(copy, 1 << 20, ct).ConfigureAwait(false);
            }
            catch
            {
                await copy.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
        // Read to the end (the gzip trailer), so the hash covers every byte of the file.
        await hashing.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
        var key = $"{prefix}/{file.Key}";
        if (hashing.HashHex() != file.Sha256)
            throw ChecksumMismatch(bucket, key, hashing.HashHex(), hashing.BytesRead, file, "It changed after it was verified.");
        if (file.Rows is { } expected && counter.Rows != expected)
            throw new OpsException("ExportRowCountMismatch", OpsErrorCategory.InvalidData, $"s3://{bucket}/{key} held {counter.Rows} row(s), not the {expected} its manifest records.", $"s3://{bucket}/{key}");
        return counter.Rows;
    }
}
