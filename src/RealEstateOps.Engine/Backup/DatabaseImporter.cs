using System.Diagnostics;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

public sealed class ImportRequest
{
    public required DbConnectionRequest Connection { get; init; }
    public required BackupLocation Source { get; init; }
    /// <summary>Replace what a non-empty target holds (pg_restore --clean --if-exists); without it such a target is refused.</summary>
    public bool Replace { get; init; }
    public string? PgRestorePath { get; init; }
    /// <summary>Opens the object store of an s3:// source (only asked for such a source).</summary>
    public Func<IArtifactStore>? S3 { get; init; }
    /// <summary>
    /// When given, the source must have this SHA-256 (checked before anything is restored). An S3 object's
    /// recorded x-amz-meta-sha256 is checked without it; when both are known they must agree.
    /// </summary>
    public string? ExpectedSha256 { get; init; }
    /// <summary>1: one pg_restore of a single archive; 2 or more: a parallel export's prefix restored by that many workers (<see cref="ParallelImporter"/>).</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>A parallel import's verified manifest and each file's ETag (so the restore reads exactly the bytes verified).</summary>
    internal (ExportManifest Manifest, Dictionary<string, string> ETags)? VerifiedExport { get; set; }

    /// <summary>The hash the source was verified against before the restore, and the ETag (S3) that pins the same bytes.</summary>
    internal (string Sha256, string? ETag, long Size)? Verified { get; set; }
}

/// <summary>
/// Import-Database: pg_restore of an Export-Database archive (file or s3://, streamed into pg_restore's
/// input) into a target database, in one transaction that stops at the first error, so a failed
/// import changes nothing. A target that already has tables is refused unless Replace.
/// The archive's SHA-256 (given, or recorded on the S3 object at export) is verified before anything
/// changes, by reading the whole archive first (a file, or the S3 object pinned by its ETag); the restore
/// then hashes the bytes again as it streams them and holds the last block back until that hash matches,
/// so an archive that changed in between is stopped before pg_restore can commit.
/// </summary>
public static class DatabaseImporter
{
    /// <summary>Checks before any change: the source exists (and matches its checksum), the target is reachable and empty (or Replace).</summary>
    public static Task CheckAsync(ImportRequest request, CancellationToken ct) =>
        request.Jobs > 1 ? new ParallelImporter(ParallelImporter.StoreOf(request)).CheckAsync(request, null, ct) : PrepareAsync(request, ct);

    internal static async Task<(PgTarget Target, long? SourceSize)> PrepareAsync(ImportRequest request, CancellationToken ct)
    {
        long size;
        string? etag = null;
        var expected = Normalize(request.ExpectedSha256, "-Sha256", request.Source);
        if (request.Source.IsS3)
        {
            var info = await (request.S3?.Invoke() ?? throw new InvalidOperationException("An s3:// source needs an S3 store."))
                .HeadAsync(request.Source.Bucket!, request.Source.Key!, ct).ConfigureAwait(false);
            (size, etag) = (info.Size, info.ETag);
            var recorded = Normalize(info.Sha256, "the object's x-amz-meta-sha256", request.Source);
            if (expected is not null && recorded is not null && expected != recorded)
                throw new OpsException("BackupChecksumConflict", OpsErrorCategory.InvalidData,
                    $"-Sha256 says {expected} but {request.Source} records {recorded} (x-amz-meta-sha256, written at export): one of them is not this archive's. Nothing was restored.",
                    request.Source.ToString());
            expected ??= recorded;
        }
        else if (!File.Exists(request.Source.FilePath))
            throw new OpsException("BackupNotFound", OpsErrorCategory.ObjectNotFound, $"There is no backup file '{request.Source.FilePath}'.", request.Source.FilePath);
        else
            size = new FileInfo(request.Source.FilePath!).Length;

        if (expected is null) request.Verified = null;
        else if (request.Verified is not { } done || done.Sha256 != expected || done.ETag != etag || done.Size != size)
        {
            // Verified ahead, as a whole, before anything changes (and once: Import reuses the check's answer for the same bytes).
            await using var stream = await OpenSourceAsync(request, etag, ct).ConfigureAwait(false);
            var actual = Convert.ToHexString(await System.Security.Cryptography.SHA256.HashDataAsync(stream, ct).ConfigureAwait(false)).ToLowerInvariant();
            if (actual != expected) throw Mismatch(request.Source, actual, expected!, "");
            request.Verified = (actual, etag, size);
        }

        var target = await PgTarget.ConnectAsync(request.Connection, ct).ConfigureAwait(false);
        if (target.Tables.Length > 0 && !request.Replace) throw TargetNotEmpty(target);
        return (target, size);
    }

    private static string? Normalize(string? sha, string from, BackupLocation source)
    {
        if (string.IsNullOrWhiteSpace(sha)) return null;
        var s = sha.Trim().ToLowerInvariant();
        if (s.Length != 64 || !s.All(Uri.IsHexDigit))
            throw new OpsException("BackupChecksumInvalid", OpsErrorCategory.InvalidArgument, $"'{sha}' ({from}) is not a SHA-256: 64 hexadecimal digits.", source.ToString());
        return s;
    }

    internal static OpsException TargetNotEmpty(PgTarget target) =>
        new("DbTargetNotEmpty", OpsErrorCategory.ResourceExists,
            $"The target {target.Describe} already has {target.Tables.Length} table(s) ({string.Join(", ", target.Tables.Take(5))}{(target.Tables.Length > 5 ? ", ..." : "")}). " +
            "Import into an empty database, or give -Replace to drop and replace the objects the archive holds.", target.Describe);

    private static OpsException Mismatch(BackupLocation source, string actual, string expected, string what) =>
        new("BackupChecksumMismatch", OpsErrorCategory.InvalidData,
            $"'{source}' has SHA-256 {actual}, not the {expected} it had when exported: it changed or is damaged. {(what.Length > 0 ? what : "Nothing was restored.")}", source.ToString());

    private static async Task<Stream> OpenSourceAsync(ImportRequest request, string? etag, CancellationToken ct) => request.Source.IsS3
        ? await request.S3!.Invoke().OpenReadAsync(request.Source.Bucket!, request.Source.Key!, etag, ct).ConfigureAwait(false)
        : new FileStream(request.Source.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous);

    public static async Task<DatabaseImport> ImportAsync(ImportRequest request, CancellationToken ct) => await ImportAsync(request, null, ct).ConfigureAwait(false);

    /// <summary>-Jobs 1: pg_restore of one archive in one transaction; -Jobs N: <see cref="ParallelImporter"/> of a parallel export's prefix.</summary>
    public static async Task<DatabaseImport> ImportAsync(ImportRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (request.Jobs > 1) return await new ParallelImporter(ParallelImporter.StoreOf(request)).ImportAsync(request, events, ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var (target, _) = await PrepareAsync(request, ct).ConfigureAwait(false);
        var pgRestore = await PgTools.FindAsync("pg_restore", request.PgRestorePath, ct).ConfigureAwait(false);
        var replacing = target.Tables.Length > 0;
        var verified = request.Verified;

        await using var raw = await OpenSourceAsync(request, verified?.ETag, ct).ConfigureAwait(false);
        await using var source = new HashingStream(raw);

        using var pass = PgPassFile.For(target.Builder, request.Connection.Password, request.Connection.PassFile);
        var psi = new ProcessStartInfo(pgRestore.Path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        var args = new List<string> { "--no-password", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", target.Builder.Database! };
        if (replacing) args.AddRange(new[] { "--clean", "--if-exists" });
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in PgTools.ConnectionEnvironment(target.Builder, pass.Path, target.Ssl)) psi.Environment[k] = v;

        using var process = Process.Start(psi) ?? throw new OpsException("PgRestoreFailed", OpsErrorCategory.InvalidOperation, "pg_restore could not be started.", pgRestore.Path);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        long bytes = 0;
        var finished = false;
        var changed = false;
        try
        {
            try
            {
                // One block is always held back: pg_restore cannot reach its COMMIT before it has the archive's last
                // bytes, and those go only once the hash of everything read matches the verified one.
                var buffer = new byte[1 << 20];
                var held = new byte[1 << 20];
                var heldLength = 0;
                int n;
                var input = process.StandardInput.BaseStream;
                while ((n = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false)) > 0)
                {
                    if (heldLength > 0) await input.WriteAsync(held.AsMemory(0, heldLength), ct).ConfigureAwait(false);
                    (buffer, held, heldLength) = (held, buffer, n);
                    bytes += n;
                }
                if (verified is { } v && source.HashHex() != v.Sha256)
                {
                    try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                    throw Mismatch(request.Source, source.HashHex(), v.Sha256,
                        "It changed after it was verified: pg_restore was stopped before the archive's last block, so its single transaction never committed and nothing was restored.");
                }
                if (heldLength > 0) await input.WriteAsync(held.AsMemory(0, heldLength), ct).ConfigureAwait(false);
                await input.FlushAsync(ct).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException) when (process.HasExited || process.WaitForExit(2000))
            {
                // pg_restore stopped reading (it failed): its own message says why, below, unless the archive is not
                // the one verified: the rest is hashed to tell a damaged archive from a failing restore.
                if (verified is { } v)
                {
                    await source.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
                    changed = source.HashHex() != v.Sha256;
                }
            }
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            finished = true;
        }
        finally
        {
            if (!finished)
                try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        await stdout.ConfigureAwait(false);
        if (changed)
            throw Mismatch(request.Source, source.HashHex(), verified!.Value.Sha256,
                $"It changed after it was verified; pg_restore failed on it (exit {process.ExitCode}) and its single transaction rolled back: nothing was restored.");
        if (process.ExitCode != 0)
        {
            var message = Redaction.ScrubConnectionString((await stderr.ConfigureAwait(false)).Trim());
            throw new OpsException("PgRestoreFailed", OpsErrorCategory.InvalidResult,
                $"pg_restore of {request.Source} into {target.Describe} failed (exit {process.ExitCode}); nothing was changed (one transaction): {message}", target.Describe);
        }
        var after = await PgTarget.ConnectAsync(request.Connection, ct).ConfigureAwait(false);
        return new DatabaseImport
        {
            Source = request.Source.ToString(), Host = target.Builder.Host ?? "", Port = target.Builder.Port, Database = target.Builder.Database ?? "",
            Replaced = replacing, Tables = after.Tables, Bytes = bytes, Duration = watch.Elapsed,
        };
    }
}
