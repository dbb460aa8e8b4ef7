using System.Diagnostics;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

public sealed class ImportRequest
{
    public required DbConnectionRequest Connection { get; init; }
    public required BackupLocation Source { get; init; }
    /// <summary>Replace what a non-empty target holds (pg_restore --clean --if-exists).</summary>
    public bool Force { get; init; }
    public string? PgRestorePath { get; init; }
    public Func<Storage.IS3ArtifactStore>? S3 { get; init; }
    /// <summary>When given, the source must have this SHA-256 (checked before anything is restored).</summary>
    public string? ExpectedSha256 { get; init; }
}

/// <summary>
/// Import-Database: pg_restore of an Export-Database archive (file or s3://, streamed into pg_restore's
/// input) into a target database, in one transaction that stops at the first error, so a failed
/// import changes nothing. A target that already has tables is refused unless Force.
/// </summary>
public static class DatabaseImporter
{
    /// <summary>Checks before any change: the source exists (and matches its checksum), the target is reachable and empty (or Force).</summary>
    public static Task CheckAsync(ImportRequest request, CancellationToken ct) => PrepareAsync(request, ct);

    internal static async Task<(PgTarget Target, long? SourceSize)> PrepareAsync(ImportRequest request, CancellationToken ct)
    {
        long? size = null;
        if (request.Source.IsS3)
            size = await (request.S3?.Invoke() ?? throw new InvalidOperationException("An s3:// source needs an S3 store."))
                .SizeOfAsync(request.Source.Bucket!, request.Source.Key!, ct).ConfigureAwait(false);
        else if (!File.Exists(request.Source.FilePath))
            throw new OpsException("BackupNotFound", OpsErrorCategory.ObjectNotFound, $"There is no backup file '{request.Source.FilePath}'.", request.Source.FilePath);
        else
            size = new FileInfo(request.Source.FilePath!).Length;

        if (request.ExpectedSha256 is { Length: > 0 } expected && !request.Source.IsS3)
        {
            await using var file = File.OpenRead(request.Source.FilePath!);
            var actual = Convert.ToHexString(await System.Security.Cryptography.SHA256.HashDataAsync(file, ct).ConfigureAwait(false)).ToLowerInvariant();
            if (!actual.Equals(expected, StringComparison.OrdinalIgnoreCase))
                throw new OpsException("BackupChecksumMismatch", OpsErrorCategory.InvalidData,
                    $"'{request.Source}' has SHA-256 {actual}, not the {expected} it had when exported: it changed or is damaged.", request.Source.ToString());
        }

        var target = await PgTarget.ConnectAsync(request.Connection, ct).ConfigureAwait(false);
        if (target.Tables.Length > 0 && !request.Force)
            throw new OpsException("DbTargetNotEmpty", OpsErrorCategory.ResourceExists,
                $"The target {target.Describe} already has {target.Tables.Length} table(s) ({string.Join(", ", target.Tables.Take(5))}{(target.Tables.Length > 5 ? ", ..." : "")}). " +
                "Import into an empty database, or give -Force to replace them.", target.Describe);
        return (target, size);
    }

    public static async Task<DatabaseImport> ImportAsync(ImportRequest request, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var (target, _) = await PrepareAsync(request, ct).ConfigureAwait(false);
        var pgRestore = await PgTools.FindAsync("pg_restore", request.PgRestorePath, ct).ConfigureAwait(false);
        var replacing = target.Tables.Length > 0;

        await using var source = request.Source.IsS3
            ? await request.S3!.Invoke().OpenReadAsync(request.Source.Bucket!, request.Source.Key!, ct).ConfigureAwait(false)
            : new FileStream(request.Source.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous);

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
        try
        {
            try
            {
                var buffer = new byte[1 << 20];
                int n;
                var input = process.StandardInput.BaseStream;
                while ((n = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await input.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                    bytes += n;
                }
                await input.FlushAsync(ct).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException) when (process.HasExited || process.WaitForExit(2000))
            {
                // pg_restore stopped reading (it failed): its own message says why, below.
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
