using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>
/// The real Prometheus and Alertmanager of a sandbox, run on free loopback ports in a new <c>monitoring-&lt;random&gt;</c>
/// folder (0700, with a marker) of its state folder: Prometheus scrapes the sandbox's platform metrics as job
/// <c>platform</c> every 2 s, evaluates the rule files in <see cref="RulesFolder"/> every 2 s and sends alerts to the
/// Alertmanager, whose one receiver is a webhook back to the sandbox (<c>/_sandbox/monitoring/notifications</c>).
/// The processes are recorded in the state folder (<see cref="SandboxMonitoringRecord"/>) and stopped, by the ids started
/// here, when the sandbox stops.
/// </summary>
public sealed class MonitoringStack : IAsyncDisposable
{
    public const string MetricsPath = "/_sandbox/monitoring/metrics";
    public const string NotificationsPath = "/_sandbox/monitoring/notifications";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<(Process Process, long? StartTicks, string Program)> _processes = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _stateDir;
    private readonly string _marker;

    private MonitoringStack(string stateDir, string folder, string marker, string? promtool)
    {
        _stateDir = stateDir;
        Folder = folder;
        _marker = marker;
        Promtool = promtool;
    }

    /// <summary>The monitoring-&lt;random&gt; folder: configuration, rule files, the two programs' data and logs.</summary>
    public string Folder { get; }
    /// <summary>Where Prometheus reads its rule files (<c>*.yaml</c>): one per PrometheusRule, <c>&lt;namespace&gt;-&lt;name&gt;.yaml</c>.</summary>
    public string RulesFolder => Path.Combine(Folder, "rules");
    public Uri PrometheusUrl { get; private set; } = null!;
    public Uri AlertmanagerUrl { get; private set; } = null!;
    /// <summary>promtool when installed (the PrometheusRule validator), else null.</summary>
    public string? Promtool { get; }
    public string PrometheusLog => Path.Combine(Folder, "prometheus.log");
    public string AlertmanagerLog => Path.Combine(Folder, "alertmanager.log");

    /// <summary>
    /// Why monitoring cannot run with <paramref name="options"/> (switched off, or a program missing), or null when it can.
    /// </summary>
    public static string? WhyOff(SandboxOptions options)
    {
        if (!options.Monitoring) return "Monitoring is off: the sandbox was started with -NoMonitoring.";
        if (!File.Exists(options.PrometheusProgram))
            return $"Monitoring is off: Prometheus ({options.PrometheusProgram}) is not installed. Install Debian's 'prometheus' package (build.ps1 installs it where missing) and start the sandbox again.";
        if (!File.Exists(options.AlertmanagerProgram))
            return $"Monitoring is off: Alertmanager ({options.AlertmanagerProgram}) is not installed. Install Debian's 'prometheus-alertmanager' package (build.ps1 installs it where missing) and start the sandbox again.";
        return null;
    }

    /// <summary>
    /// Starts Alertmanager, then Prometheus scraping <paramref name="sandboxUrl"/> with <paramref name="controlToken"/> (kept in a
    /// 0600 file, never in argv), with the rule files <paramref name="initialRules"/> (name → YAML) already in place;
    /// returns once both answer /-/ready.
    /// </summary>
    public static async Task<MonitoringStack> StartAsync(SandboxOptions options, Uri sandboxUrl, string controlToken,
        IReadOnlyDictionary<string, string> initialRules, ILogger? log, CancellationToken ct)
    {
        var stateDir = Path.GetFullPath(options.StateDir);
        var previous = await SandboxMonitoringRecord.StopRecordedAsync(stateDir, ct).ConfigureAwait(false);
        if (previous is not null) log?.LogInformation("Previous monitoring: {Outcome}", previous);

        var suffix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var folder = Path.Combine(stateDir, "monitoring-" + suffix);
        UnixFiles.CreateNewPrivateFolder(folder, "MonitoringFolderExists");
        var marker = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        UnixFiles.WriteNewPrivateFile(Path.Combine(folder, SandboxMonitoringRecord.MarkerFileName), marker + "\n");
        var stack = new MonitoringStack(stateDir, folder, marker, File.Exists(options.PromtoolProgram) ? options.PromtoolProgram : null);
        try
        {
            await stack.LaunchAsync(options, sandboxUrl, controlToken, initialRules, ct).ConfigureAwait(false);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task LaunchAsync(SandboxOptions options, Uri sandboxUrl, string controlToken, IReadOnlyDictionary<string, string> initialRules, CancellationToken ct)
    {
        foreach (var sub in new[] { "rules", "prometheus-data", "alertmanager-data" }) UnixFiles.CreateNewPrivateFolder(Path.Combine(Folder, sub), "MonitoringFolderExists");
        foreach (var (name, yaml) in initialRules) FileUtil.WriteAtomic(Path.Combine(RulesFolder, name), yaml, ownerOnly: true);
        // The sandbox's control token, for the scrape and the webhook: a 0600 file both programs read (credentials_file).
        var tokenFile = Path.Combine(Folder, "sandbox-token");
        UnixFiles.WriteNewPrivateFile(tokenFile, controlToken);
        var target = $"{sandboxUrl.Host}:{sandboxUrl.Port}";
        var sandboxBase = sandboxUrl.ToString().TrimEnd('/');

        // Alertmanager first: Prometheus sends to it from its first evaluation.
        for (var attempt = 1; ; attempt++)
        {
            var port = Ports.Free();
            var config = Path.Combine(Folder, "alertmanager.yml");
            FileUtil.WriteAtomic(config, MonitoringConfig.Alertmanager(sandboxBase + NotificationsPath, tokenFile), ownerOnly: true);
            var url = new Uri($"http://127.0.0.1:{port}/");
            var process = Launch(options.AlertmanagerProgram, AlertmanagerLog,
                $"--config.file={config}", $"--storage.path={Path.Combine(Folder, "alertmanager-data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--data.retention=2h");
            if (await WaitReadyAsync(process, url, AlertmanagerLog, "Alertmanager", attempt, ct).ConfigureAwait(false)) { AlertmanagerUrl = url; break; }
        }
        for (var attempt = 1; ; attempt++)
        {
            var port = Ports.Free();
            var config = Path.Combine(Folder, "prometheus.yml");
            FileUtil.WriteAtomic(config, MonitoringConfig.Prometheus(target, tokenFile, $"{AlertmanagerUrl.Host}:{AlertmanagerUrl.Port}", RulesFolder), ownerOnly: true);
            var url = new Uri($"http://127.0.0.1:{port}/");
            var process = Launch(options.PrometheusProgram, PrometheusLog,
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(Folder, "prometheus-data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--web.enable-lifecycle", "--storage.tsdb.retention.time=2h",
                $"--web.external-url=http://127.0.0.1:{port}/");
            if (await WaitReadyAsync(process, url, PrometheusLog, "Prometheus", attempt, ct).ConfigureAwait(false)) { PrometheusUrl = url; break; }
        }
    }

    /// <summary>Starts <paramref name="program"/> with its output appended to <paramref name="log"/> (0600), recorded at once.</summary>
    private Process Launch(string program, string log, params string[] args)
    {
        using (new FileStream(log, FileUtil.CreateOptions(FileMode.Append, FileAccess.Write, FileShare.ReadWrite, ownerOnly: true))) { }
        // sh only redirects the output and then becomes the program (exec): the process id is the program's.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Folder };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(log);
        psi.ArgumentList.Add(program);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new OpsException("MonitoringStartFailed", OpsErrorCategory.ResourceUnavailable, $"{program} could not be started.", program);
        // The start time once sh has become the program (its /proc entry is the same process either way).
        _processes.Add((process, ProcessIdentity.StartTicks(process.Id), program));
        WriteRecord();
        return process;
    }

    private void WriteRecord() =>
        SandboxMonitoringRecord.Write(_stateDir, Folder, _marker, _processes.Select(p => new SandboxMonitoringRecord.RecordedProcess(p.Process.Id, p.StartTicks, p.Program)));

    /// <summary>True once <paramref name="url"/>/-/ready answers 200; false when the process exited early (a port taken meanwhile: try again).</summary>
    private async Task<bool> WaitReadyAsync(Process process, Uri url, string log, string what, int attempt, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                var tail = Tail(log);
                _processes.RemoveAll(p => p.Process.Id == process.Id);
                WriteRecord();
                if (attempt < 3 && tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) return false;
                throw new OpsException("MonitoringStartFailed", OpsErrorCategory.ResourceUnavailable, $"{what} exited with code {process.ExitCode}: {tail}", log);
            }
            try
            {
                using var response = await _http.GetAsync(new Uri(url, "-/ready"), ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return true;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
        throw new OpsException("MonitoringStartTimeout", OpsErrorCategory.OperationTimeout, $"{what} did not become ready within {ReadyTimeout.TotalSeconds:0} s: {Tail(log)}", log);
    }

    private static string Tail(string log)
    {
        try { return string.Join(" | ", File.ReadLines(log).TakeLast(4)); }
        catch (IOException) { return "(no log)"; }
    }

    /// <summary>Asks Prometheus to read its configuration and rule files again (POST /-/reload).</summary>
    public async Task ReloadPrometheusAsync(CancellationToken ct)
    {
        using var response = await _http.PostAsync(new Uri(PrometheusUrl, "-/reload"), null, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new OpsException("PrometheusReloadFailed", OpsErrorCategory.InvalidResult,
                $"Prometheus refused to reload ({(int)response.StatusCode}): {(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim()}", PrometheusUrl.ToString());
    }

    /// <summary>Stops the programs started here (by their ids, while they are still those processes), then removes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (process, ticks, _) in Enumerable.Reverse(_processes))
        {
            try { await SandboxMonitoringRecord.StopProcessAsync(process.Id, ticks, Folder, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception ex) when (ex is InvalidOperationException or IOException) { }
            process.Dispose();
        }
        _processes.Clear();
        SandboxMonitoringRecord.RemoveFolder(_stateDir, Folder, _marker);
        try { File.Delete(Path.Combine(_stateDir, SandboxMonitoringRecord.RecordFileName)); } catch (IOException) { }
        _http.Dispose();
    }
}
