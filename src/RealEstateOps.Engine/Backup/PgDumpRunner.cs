using System.Diagnostics;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

/// <summary>
/// Runs pg_dump or pg_restore with the connection in its environment and password file (never argv): pg_dump's output
/// streamed, hashed, into a sink and committed; pg_restore fed from a stream or reading a file. A failure kills the
/// process and is PgDumpFailed / PgRestoreFailed (DbAuthenticationFailed for a refused password) with its scrubbed stderr.
/// </summary>
internal static class PgDumpRunner
{
    private static ProcessStartInfo StartInfo(PgTool tool, PgTarget target, string? passFile, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(tool.Path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in PgTools.ConnectionEnvironment(target.Builder, passFile, target.Ssl)) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>pg_dump <paramref name="args"/> (plus --no-password) into the sink, committed with its SHA-256; the sink is not aborted here.</summary>
    public static async Task<(string Sha256, long Size)> DumpAsync(PgTool pgDump, PgTarget target, DbConnectionRequest connection, IEnumerable<string> args,
        IArtifactSink sink, CancellationToken ct)
    {
        using var pass = PgPassFile.For(target.Builder, connection.Password, connection.PassFile);
        using var process = Process.Start(StartInfo(pgDump, target, pass.Path, args.Append("--no-password")))
            ?? throw new OpsException("PgDumpFailed", OpsErrorCategory.InvalidOperation, "pg_dump could not be started.", pgDump.Path);
        var done = false;
        try
        {
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var hashing = new HashingStream(process.StandardOutput.BaseStream);
            await sink.WriteAllAsync(hashing, ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            done = true;
            if (process.ExitCode != 0)
            {
                var message = Redaction.ScrubConnectionString((await stderr.ConfigureAwait(false)).Trim());
                throw new OpsException(message.Contains("password authentication failed", StringComparison.OrdinalIgnoreCase) ? "DbAuthenticationFailed" : "PgDumpFailed",
                    OpsErrorCategory.InvalidResult, $"pg_dump of {target.Describe} failed (exit {process.ExitCode}): {message}", target.Describe);
            }
            await sink.CommitAsync(hashing.HashHex(), ct).ConfigureAwait(false);
            return (hashing.HashHex(), hashing.BytesRead);
        }
        finally
        {
            if (!done) Kill(process);
        }
    }

    /// <summary>pg_restore <paramref name="args"/> (plus --no-password), fed from <paramref name="input"/> when given (its whole content); fails with PgRestoreFailed.</summary>
    public static async Task RestoreAsync(PgTool pgRestore, PgTarget target, DbConnectionRequest connection, IEnumerable<string> args, Stream? input, string what, CancellationToken ct)
    {
        using var pass = PgPassFile.For(target.Builder, connection.Password, connection.PassFile);
        using var process = Process.Start(StartInfo(pgRestore, target, pass.Path, args.Prepend("--no-password")))
            ?? throw new OpsException("PgRestoreFailed", OpsErrorCategory.InvalidOperation, "pg_restore could not be started.", pgRestore.Path);
        var done = false;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            try
            {
                if (input is not null) await input.CopyToAsync(process.StandardInput.BaseStream, 1 << 20, ct).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException) when (process.HasExited || process.WaitForExit(2000))
            {
                // pg_restore stopped reading: its exit code and stderr say why, below.
            }
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            done = true;
            await stdout.ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new OpsException("PgRestoreFailed", OpsErrorCategory.InvalidResult,
                    $"pg_restore of {what} into {target.Describe} failed (exit {process.ExitCode}): {Redaction.ScrubConnectionString((await stderr.ConfigureAwait(false)).Trim())}", target.Describe);
        }
        finally
        {
            if (!done) Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }
}
