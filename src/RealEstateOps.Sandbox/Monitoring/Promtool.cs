using System.Diagnostics;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>Prometheus' own checker (promtool): rule files before they reach Prometheus, and metrics expositions.</summary>
public sealed class Promtool
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public Promtool(string program) => Program = program;

    public string Program { get; }

    public sealed record Result(bool Ok, string Output);

    /// <summary>
    /// <c>promtool check rules</c> on <paramref name="yaml"/>, written to a new 0600 file in <paramref name="folder"/> (removed
    /// afterwards). On failure the output is promtool's complaint (its FAILED lines), naming the file <paramref name="shownAs"/>.
    /// </summary>
    public async Task<Result> CheckRulesAsync(string yaml, string folder, string shownAs, CancellationToken ct)
    {
        var file = Path.Combine(folder, ".check-" + Guid.NewGuid().ToString("N") + ".yaml");
        RealEstateOps.Engine.Common.UnixFiles.WriteNewPrivateFile(file, yaml);
        try
        {
            var (code, stdout, stderr) = await RunAsync(new[] { "check", "rules", file }, null, ct).ConfigureAwait(false);
            var said = code == 0 ? stdout : stderr.Trim().Length > 0 ? stderr : stdout;
            var lines = said.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())
                .Where(l => l.Length > 0 && l != "FAILED:" && !l.StartsWith("Checking ", StringComparison.Ordinal))
                .Select(l => l.Replace(file, shownAs, StringComparison.Ordinal));
            return new Result(code == 0, string.Join("\n", lines));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary><c>promtool check metrics</c> on <paramref name="exposition"/> (its stdin): exit code 0 when there is nothing to say.</summary>
    public async Task<Result> CheckMetricsAsync(string exposition, CancellationToken ct)
    {
        var (code, stdout, stderr) = await RunAsync(new[] { "check", "metrics" }, exposition, ct).ConfigureAwait(false);
        return new Result(code == 0, (stdout + stderr).Trim());
    }

    private async Task<(int Code, string StdOut, string StdErr)> RunAsync(string[] args, string? stdin, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(Program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{Program} could not be started.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Limit);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin.AsMemory(), limit.Token).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            throw;
        }
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
