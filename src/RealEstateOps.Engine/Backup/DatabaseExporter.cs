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
    public static async Task<BackupArtifact> ExportAsync(ExportRequest request, CancellationToken ct)
    {
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
        IArtifactSink sink = request.Destination.IsS3
            ? await (request.S3?.Invoke() ?? throw new InvalidOperationException("An s3:// destination needs an S3 store."))
                .OpenUploadAsync(request.Destination.Bucket!, request.Destination.Key!, request.Overwrite, request.Tags, ct).ConfigureAwait(false)
            : new FileSink(request.Destination.FilePath!, request.Overwrite);
        var committed = false;
        Process? process = null;
        try
        {
            using var pass = PgPassFile.For(target.Builder, request.Connection.Password, request.Connection.PassFile);
            var psi = new ProcessStartInfo(pgDump.Path)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            foreach (var a in new[] { "--format=custom", "--no-password" }) psi.ArgumentList.Add(a);
            if (request.CompressionLevel is { } compress) psi.ArgumentList.Add($"--compress={compress}");
            foreach (var (k, v) in PgTools.ConnectionEnvironment(target.Builder, pass.Path, target.Ssl)) psi.Environment[k] = v;

            process = Process.Start(psi) ?? throw new OpsException("PgDumpFailed", OpsErrorCategory.InvalidOperation, "pg_dump could not be started.", pgDump.Path);
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var hashing = new HashingStream(process.StandardOutput.BaseStream);
            await sink.WriteAllAsync(hashing, ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var message = Redaction.ScrubConnectionString((await stderr.ConfigureAwait(false)).Trim());
                throw new OpsException(message.Contains("password authentication failed", StringComparison.OrdinalIgnoreCase) ? "DbAuthenticationFailed" : "PgDumpFailed",
                    OpsErrorCategory.InvalidResult, $"pg_dump of {target.Describe} failed (exit {process.ExitCode}): {message}", target.Describe);
            }
            await sink.CommitAsync(hashing.HashHex(), ct).ConfigureAwait(false);
            committed = true;
            return new BackupArtifact
            {
                Location = request.Destination.ToString(), Size = hashing.BytesRead, Sha256 = hashing.HashHex(), Duration = watch.Elapsed,
                Host = target.Builder.Host ?? "", Port = target.Builder.Port, Database = target.Builder.Database ?? "", ServerVersion = target.ServerVersion,
                PgDumpVersion = pgDump.Version, Tables = target.Tables, CreatedAt = DateTimeOffset.UtcNow,
            };
        }
        finally
        {
            if (!committed)
            {
                try { if (process is { HasExited: false }) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await sink.AbortAsync().ConfigureAwait(false);
            }
            process?.Dispose();
        }
    }
}
