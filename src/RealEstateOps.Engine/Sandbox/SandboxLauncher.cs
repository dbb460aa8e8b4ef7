using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>
/// Starts the sandbox program in the background (its own session, so Ctrl+C in the shell does not
/// stop it), waits until it has described itself in its info file (<see cref="SandboxInfo"/>) and answers,
/// records it in the state folder and writes the 'sandbox' context from what it published; stops it again.
/// The sandbox's secrets are its own: this class only reads the control token from the file it named.
/// </summary>
public sealed class SandboxLauncher : IDisposable
{
    public const string ContextName = "sandbox";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly OpsPaths _paths;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A launcher for the sandbox recorded under <paramref name="paths"/>; it disposes the client it makes, never one it is given.</summary>
    public SandboxLauncher(OpsPaths paths, HttpClient? http = null)
    {
        _paths = paths;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private string StateFile => Path.Combine(_paths.SandboxFolder, "sandbox.json");

    public async Task<SandboxInstance> StartAsync(SandboxLaunchOptions options, IProgress<WaitProgress>? progress, CancellationToken ct)
    {
        options.Validate();
        if (!File.Exists(options.SandboxAssembly))
            throw new OpsException("SandboxNotFound", OpsErrorCategory.ObjectNotFound,
                $"The sandbox program '{options.SandboxAssembly}' is missing; rebuild the module (build.ps1 -Task Build).", options.SandboxAssembly);
        // Without REALESTATEOPS_SANDBOX_PG the sandbox starts its own PostgreSQL from its state folder, whose path
        // pg_ctl hands to /bin/sh: refused here, before anything is made or started.
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("REALESTATEOPS_SANDBOX_PG")))
            Postgres.PgServerFolder.RequireSafePath(Path.GetFullPath(_paths.SandboxFolder), "sandbox state folder");
        if (await GetRunningAsync(ct).ConfigureAwait(false) is { Responding: true } running)
            throw new OpsException("SandboxAlreadyRunning", OpsErrorCategory.ResourceExists,
                $"A sandbox is already running at {running.Url} (process {running.ProcessId}). Stop it first with Stop-OpsSandbox.", running.Url);

        var port = options.Port;
        if (port == 0) port = Ports.Free();
        else if (!Ports.IsFree(port))
            throw new OpsException("SandboxPortInUse", OpsErrorCategory.ResourceBusy,
                $"Port {port} on 127.0.0.1 is already in use. Choose another -Port, or omit it to take a free one.", port);

        // 0700 from the start (and refused when it is not this user's folder); the log 0600 before anything writes to it.
        UnixFiles.EnsurePrivateFolder(_paths.SandboxFolder, "SandboxStateFolderNotOwned");
        CreatePrivateLog(Path.Combine(_paths.SandboxFolder, "sandbox.log"));
        var logFile = Path.Combine(_paths.SandboxFolder, "sandbox.log");
        // The sandbox makes its own secrets and describes itself in its info file, naming the 0600 files that hold what
        // it hands to clients (control token, aws-credentials, kubeconfig): nothing secret travels to it or is made here.
        var infoFile = InfoFile;
        File.Delete(infoFile); // a previous start's description is never read as this one's
        var process = Launch(options, port, logFile, infoFile);
        var url = $"http://127.0.0.1:{port}/";
        // Who the process is, for Stop-OpsSandbox: a recorded id alone could name another process by then.
        var startTicks = ProcessIdentity.StartTicks(process.Id);

        SandboxInfo info;
        try
        {
            var probe = await Waiter.WaitAsync(
                async token =>
                {
                    if (process.HasExited) return new Probe(true, null);
                    // Written once the sandbox is fully started, by this process; then it must answer with the token it named.
                    if (SandboxInfo.Read(infoFile) is not { } described || described.ProcessId != process.Id || described.Url != url) return new Probe(false, null);
                    try
                    {
                        using var request = ControlRequest(HttpMethod.Get, url + "_sandbox/info", ReadToken(described.ControlTokenFile));
                        using var response = await _http.SendAsync(request, token).ConfigureAwait(false);
                        return new Probe(false, response.IsSuccessStatusCode ? described : null);
                    }
                    catch (HttpRequestException) { return new Probe(false, null); }
                    catch (TaskCanceledException) when (!token.IsCancellationRequested) { return new Probe(false, null); }
                },
                r => r.Exited ? WaitCheck.Failed($"the sandbox exited with code {process.ExitCode}: {LogTail(logFile)}")
                    : r.Info is not null ? WaitCheck.Done("answering")
                    : WaitCheck.Pending("starting (PostgreSQL, platform database)"),
                new WaitOptions
                {
                    Activity = $"Starting the sandbox on {url}", Timeout = options.Timeout, InitialInterval = TimeSpan.FromMilliseconds(100),
                    MaxInterval = TimeSpan.FromSeconds(1), TimeoutErrorId = "SandboxStartTimeout", FailedErrorId = "SandboxStartFailed", Target = url,
                },
                progress, ct).ConfigureAwait(false);
            info = probe.Info!;
        }
        catch
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }

        var instance = new SandboxInstance
        {
            Url = info.Url, Port = info.Port, ProcessId = process.Id, StartedAt = DateTimeOffset.UtcNow, Speed = options.Speed, FaultRate = options.FaultRate,
            StateFolder = _paths.SandboxFolder, LogFile = logFile, ControlTokenFile = info.ControlTokenFile, KubeconfigPath = info.Kubeconfig,
            DbHost = info.DbHost, DbPort = info.DbPort, DbName = info.DbName, DbUser = info.DbUser, DbPassFile = info.DbPassFile, PgVector = info.PgVector,
            ProcessStartTicks = startTicks, SandboxAssembly = options.SandboxAssembly, Services = info.Services, Responding = true,
            PrometheusUrl = info.PrometheusUrl, AlertmanagerUrl = info.AlertmanagerUrl, MonitoringMessage = info.MonitoringMessage, PlatformServices = info.PlatformServices,
        };
        FileUtil.WriteAtomic(StateFile, JsonSerializer.Serialize(instance, Json), ownerOnly: true);
        WriteContext(instance, info);
        return instance;
    }

    /// <summary>The 'sandbox' context: every endpoint at the sandbox, the platform database, and the credentials and kubeconfig it published.</summary>
    private void WriteContext(SandboxInstance s, SandboxInfo info)
    {
        var store = new ContextStore(_paths);
        var context = new OpsContext
        {
            ProfileName = info.AwsProfile,
            AwsCredentialsFile = info.AwsCredentialsFile,
            Name = ContextName,
            Description = $"Local sandbox at {s.Url} (written by Start-OpsSandbox)",
            Region = info.Region,
            DbHost = s.DbHost, DbPort = s.DbPort, DbName = s.DbName, DbUser = s.DbUser, DbPassFile = s.DbPassFile,
            KubeconfigPath = s.KubeconfigPath,
            // The incident store on the sandbox's own server for it (role ops; its password only in the 0600 pgpass file).
            IncidentDbHost = info.IncidentDbHost, IncidentDbPort = info.IncidentDbPort, IncidentDbName = info.IncidentDbName,
            IncidentDbUser = info.IncidentDbUser, IncidentDbPassFile = info.IncidentDbPassFile,
        };
        foreach (var service in new[] { "s3", "rds", "eks", "sts", "ec2" }) context.Endpoints[service] = s.Url.TrimEnd('/');
        if (s.PrometheusUrl is { } prometheus) context.ServiceUrls["prometheus"] = prometheus.TrimEnd('/');
        if (s.AlertmanagerUrl is { } alertmanager) context.ServiceUrls["alertmanager"] = alertmanager.TrimEnd('/');
        if (info.LangfuseUrl is { } langfuse)
        {
            context.ServiceUrls["langfuse"] = langfuse.TrimEnd('/');
            context.LangfusePublicKey = info.LangfusePublicKey;
            context.LangfuseSecretKeyFile = info.LangfuseSecretKeyFile;
        }
        if (info.ArgoCdUrl is { } argocd && info.ArgoCdTokenFile is { } argoToken)
        {
            context.ServiceUrls["argocd"] = argocd.TrimEnd('/');
            context.ArgoCdTokenFile = argoToken;
        }
        // The stakeholder sink's channels: Slack ops-slack, Teams ops-teams, PagerDuty oncall (secrets in the sandbox's 0600 files).
        if (info.SlackWebhookUrlFile is { } slack && info.TeamsWebhookUrlFile is { } teams && info.PagerDutyRoutingKeyFile is { } routingKey)
            context.NotificationChannels = new List<Notification.NotificationChannel>
            {
                new() { Name = "ops-slack", Kind = Notification.NotificationKind.Slack, SecretFile = slack },
                new() { Name = "ops-teams", Kind = Notification.NotificationKind.Teams, SecretFile = teams },
                new() { Name = "oncall", Kind = Notification.NotificationKind.PagerDuty, SecretFile = routingKey, Endpoint = info.PagerDutyEndpoint,
                        MinimumSeverity = Notification.NotificationSeverity.Warning },
            };
        store.Save(context);
    }

    /// <summary>The sandbox recorded in the state folder by the last start, as recorded (nothing is asked of it); null when none is.</summary>
    public SandboxInstance? Recorded()
    {
        try { return JsonSerializer.Deserialize<SandboxInstance>(File.ReadAllText(StateFile), Json); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }

    /// <summary>The recorded sandbox, whether it still answers, its request counts and its clock's speed now; null when none was started.</summary>
    public async Task<SandboxInstance?> GetRunningAsync(CancellationToken ct)
    {
        if (Recorded() is not { } instance) return null;
        var token = ReadControlToken(instance);
        try
        {
            using var request = ControlRequest(HttpMethod.Get, instance.Url + "_sandbox/requests", token);
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var counts = await response.Content.ReadFromJsonAsync<JsonObject>(ct).ConfigureAwait(false);
                instance.Responding = true;
                instance.RequestCounts = counts?["services"]?.AsObject().ToDictionary(p => p.Key, p => (long)p.Value!);
                // The speed set since the start (Set-OpsSandboxClock), not the one recorded at the start.
                if (await ReadClockAsync(instance, token, ct).ConfigureAwait(false) is { } clock) instance.Speed = clock.Speed;
            }
            else
            {
                // A sandbox that refuses our token still answers (its token file was replaced or removed).
                instance.Responding = response.StatusCode == System.Net.HttpStatusCode.Unauthorized &&
                    (await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Contains("SandboxControlToken", StringComparison.Ordinal);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            instance.Responding = false;
        }
        return instance;
    }

    /// <summary>The sandbox's clock (GET /_sandbox/clock): its speed and simulated time, or null when it does not answer with them.</summary>
    private async Task<(double Speed, DateTimeOffset Now)?> ReadClockAsync(SandboxInstance instance, string? token, CancellationToken ct)
    {
        using var request = ControlRequest(HttpMethod.Get, instance.Url + "_sandbox/clock", token);
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) return null;
        var clock = await response.Content.ReadFromJsonAsync<JsonObject>(ct).ConfigureAwait(false);
        return clock?["speed"] is { } speed && clock["now"] is { } now ? ((double)speed, (DateTimeOffset)now) : null;
    }

    public async Task<SandboxInstance> StopAsync(IProgress<WaitProgress>? progress, CancellationToken ct)
    {
        var instance = await GetRunningAsync(ct).ConfigureAwait(false)
            ?? throw new OpsException("SandboxNotRunning", OpsErrorCategory.ObjectNotFound, "No sandbox was started (nothing recorded in the state folder).");
        if (instance.Responding)
        {
            try
            {
                using var request = ControlRequest(HttpMethod.Post, instance.Url + "_sandbox/shutdown", ReadControlToken(instance));
                using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
                ThrowIfTokenRefused(response, instance);
            }
            catch (HttpRequestException) { /* already going away */ }
            await Waiter.WaitAsync(
                _ => Task.FromResult(IsRecordedProcess(instance)),
                alive => alive ? WaitCheck.Pending("stopping (PostgreSQL shutdown)") : WaitCheck.Done("stopped"),
                new WaitOptions
                {
                    Activity = $"Stopping the sandbox at {instance.Url}", Timeout = TimeSpan.FromSeconds(30),
                    InitialInterval = TimeSpan.FromMilliseconds(100), MaxInterval = TimeSpan.FromMilliseconds(500),
                    TimeoutErrorId = "SandboxStopTimeout", Target = instance.Url,
                },
                progress, ct).ConfigureAwait(false);
        }
        else
        {
            // Not answering: kill the recorded process only when it is still the sandbox that was started
            // (same start time, its command line names the sandbox program and this state folder).
            if (ProcessIdentity.StartTicks(instance.ProcessId) is not null)
            {
                var mismatch = WhyNotRecordedProcess(instance);
                if (mismatch is not null)
                    throw new OpsException("SandboxProcessMismatch", OpsErrorCategory.InvalidOperation,
                        $"Process {instance.ProcessId} is not the sandbox recorded in {StateFile} ({mismatch}): nothing was killed. If the sandbox is gone, Start-OpsSandbox replaces this record.",
                        instance.ProcessId);
                try { using var p = Process.GetProcessById(instance.ProcessId); p.Kill(entireProcessTree: true); }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { /* gone meanwhile */ }
            }
            // Its PostgreSQL outlives it (pg_ctl detaches the server): stop it when its folder carries the recorded marker.
            await Postgres.PgServerFolder.StopRecordedAsync(_paths.SandboxFolder, ct).ConfigureAwait(false);
            await Postgres.PgServerFolder.StopRecordedAsync(Path.Combine(_paths.SandboxFolder, SandboxInfo.IncidentStoreFolder), ct).ConfigureAwait(false);
            // So may its Prometheus and Alertmanager: stopped while they are still the recorded processes.
            await SandboxMonitoringRecord.StopRecordedAsync(_paths.SandboxFolder, ct).ConfigureAwait(false);
        }
        File.Delete(StateFile);
        instance.Responding = false;
        return instance;
    }

    /// <summary>
    /// Sets fault injection for one service ("*" for all) of <paramref name="instance"/>, the running sandbox
    /// (<see cref="RequireRunningAsync"/>), whose published services the service must be one of.
    /// </summary>
    public async Task<SandboxFaults> SetFaultsAsync(SandboxInstance instance, SandboxFaults faults, CancellationToken ct)
    {
        faults.Validate(instance.Services.Concat(instance.PlatformServices).ToArray());
        using var request = ControlRequest(HttpMethod.Put, $"{instance.Url}_sandbox/faults/{Uri.EscapeDataString(faults.Service)}", ReadControlToken(instance));
        request.Content = JsonContent.Create(new
        {
            errorRate = faults.ErrorRate, latencyMs = (int)faults.Latency.TotalMilliseconds, dropRate = faults.DropRate,
            errors = faults.Errors.Select(e => new { status = e.Status, code = e.Code }),
        });
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        ThrowIfTokenRefused(response, instance);
        if (!response.IsSuccessStatusCode)
        {
            if ((int)response.StatusCode == 404) throw SandboxFaults.UnknownService(faults.Service, instance.Services.Concat(instance.PlatformServices).ToArray());
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct).ConfigureAwait(false);
            throw new OpsException("SandboxFaultsInvalid", OpsErrorCategory.InvalidArgument, (string?)body?["message"] ?? response.ReasonPhrase ?? "rejected", faults.Service);
        }
        return faults;
    }

    /// <summary>
    /// Sets the clock speed of <paramref name="instance"/>, the running sandbox (<see cref="RequireRunningAsync"/>, whose
    /// Speed is the speed before the change):
    /// simulated time goes on from where it is, at the new speed, so transitions under way keep their progress.
    /// </summary>
    public async Task<SandboxClockState> SetClockAsync(SandboxInstance instance, double speed, CancellationToken ct)
    {
        SandboxSpeed.Validate(speed);
        using var request = ControlRequest(HttpMethod.Put, instance.Url + "_sandbox/clock", ReadControlToken(instance));
        request.Content = JsonContent.Create(new { speed });
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        ThrowIfTokenRefused(response, instance);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new OpsException("SandboxSpeedInvalid", OpsErrorCategory.InvalidArgument,
                $"The sandbox at {instance.Url} refused speed {speed}: {(string?)body?["message"] ?? response.ReasonPhrase}", speed);
        return new SandboxClockState
        {
            Url = instance.Url, Speed = (double)body!["speed"]!, PreviousSpeed = instance.Speed, SandboxTime = (DateTimeOffset)body["now"]!,
        };
    }

    /// <summary>Clears all fault injection and, optionally, the request counts.</summary>
    public async Task ResetAsync(bool requestCounts, CancellationToken ct)
    {
        var instance = await RequireRunningAsync(ct).ConfigureAwait(false);
        var token = ReadControlToken(instance);
        foreach (var path in requestCounts ? new[] { "_sandbox/faults", "_sandbox/requests" } : new[] { "_sandbox/faults" })
        {
            using var request = ControlRequest(HttpMethod.Delete, instance.Url + path, token);
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            ThrowIfTokenRefused(response, instance);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Where the sandbox describes itself once started (it writes it; 0600, in the 0700 state folder).</summary>
    private string InfoFile => Path.Combine(_paths.SandboxFolder, "sandbox-info.json");

    /// <summary>The control token of a recorded sandbox, or null when its file is gone.</summary>
    private static string? ReadControlToken(SandboxInstance instance) => ReadToken(instance.ControlTokenFile);

    /// <summary>The token in <paramref name="file"/>, or null when there is none.</summary>
    private static string? ReadToken(string? file)
    {
        if (string.IsNullOrEmpty(file)) return null;
        try { return File.ReadAllText(file).Trim(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>A request to a control endpoint (/_sandbox/...), carrying the control token.</summary>
    public static HttpRequestMessage ControlRequest(HttpMethod method, string url, string? token)
    {
        var request = new HttpRequestMessage(method, url);
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static void ThrowIfTokenRefused(HttpResponseMessage response, SandboxInstance instance)
    {
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            throw new OpsException("SandboxControlTokenRejected", OpsErrorCategory.AuthenticationError,
                $"The sandbox at {instance.Url} refused the control token in '{instance.ControlTokenFile}' (the file was replaced, or belongs to another start). " +
                "Stop the sandbox's process yourself, or start a new sandbox on another port.", instance.Url);
    }

    /// <summary>The recorded sandbox when it answers; else SandboxNotRunning.</summary>
    public async Task<SandboxInstance> RequireRunningAsync(CancellationToken ct) =>
        await GetRunningAsync(ct).ConfigureAwait(false) is { Responding: true } running
            ? running
            : throw new OpsException("SandboxNotRunning", OpsErrorCategory.ResourceUnavailable, "No sandbox is running; start one with Start-OpsSandbox.");

    private sealed record Probe(bool Exited, SandboxInfo? Info);

    private static Process Launch(SandboxLaunchOptions options, int port, string logFile, string infoFile)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            DotnetHost(), options.SandboxAssembly, "--port", port.ToString(inv), "--speed", options.Speed.ToString(inv),
            "--fault-rate", options.FaultRate.ToString(inv), "--state-dir", Path.GetDirectoryName(logFile)!, "--info-file", infoFile,
        };
        if (options.NoMonitoring) args.Add("--no-monitoring");
        ProcessStartInfo psi;
        if (OperatingSystem.IsWindows())
        {
            psi = new ProcessStartInfo(args[0]) { UseShellExecute = false, CreateNoWindow = true };
            foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
        }
        else
        {
            // setsid: a session of its own, so Ctrl+C in the shell does not reach it; sh only redirects
            // its output to the log (the values travel as arguments, never inside the script text).
            var setsid = ProcessRunner.Which("setsid");
            psi = new ProcessStartInfo(setsid ?? "/bin/sh") { UseShellExecute = false };
            if (setsid is not null) psi.ArgumentList.Add("/bin/sh");
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null");
            psi.ArgumentList.Add("sh");
            psi.ArgumentList.Add(logFile);
            foreach (var a in args) psi.ArgumentList.Add(a);
        }
        psi.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(psi) ?? throw new OpsException("SandboxStartFailed", OpsErrorCategory.ResourceUnavailable, "The sandbox process could not be started.");
    }

    /// <summary>The dotnet host: the one running us when we run under dotnet (pwsh as a local tool), else DOTNET_ROOT or PATH.</summary>
    private static string DotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(exe, StringComparison.OrdinalIgnoreCase)) return self;
        foreach (var variable in new[] { "DOTNET_HOST_PATH" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } p && File.Exists(p)) return p;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, exe))) return Path.Combine(root, exe);
        return ProcessRunner.Which(exe) ?? throw new OpsException("DotnetNotFound", OpsErrorCategory.NotInstalled,
            "The dotnet host, which runs the sandbox, was not found on PATH.");
    }

    private static string LogTail(string logFile) =>
        File.Exists(logFile) ? string.Join(" | ", File.ReadLines(logFile).TakeLast(5)) : "(no log)";

    /// <summary>The log file, 0600 from its creation (an existing one is narrowed to 0600).</summary>
    private static void CreatePrivateLog(string logFile)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFiles.OwnerOnlyFile;
        using (new FileStream(logFile, options)) { }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(logFile, UnixFiles.OwnerOnlyFile);
    }

    /// <summary>Whether the recorded process is still running and is the one that was started (same start time).</summary>
    private static bool IsRecordedProcess(SandboxInstance instance) =>
        instance.ProcessStartTicks is { } recorded && ProcessIdentity.StartTicks(instance.ProcessId) == recorded;

    /// <summary>Why the running process with the recorded id is not the recorded sandbox; null when it is.</summary>
    private string? WhyNotRecordedProcess(SandboxInstance instance)
    {
        var ticks = ProcessIdentity.StartTicks(instance.ProcessId);
        if (instance.ProcessStartTicks is null) return "the record has no start time to check it against";
        if (ticks != instance.ProcessStartTicks) return $"it started at {ticks}, the sandbox at {instance.ProcessStartTicks} (clock ticks since boot)";
        var args = ProcessIdentity.CommandLine(instance.ProcessId);
        if (args is null) return OperatingSystem.IsLinux() ? "its command line cannot be read" : null;
        if (string.IsNullOrEmpty(instance.SandboxAssembly) || !args.Contains(instance.SandboxAssembly))
            return $"its command line does not run the sandbox program {instance.SandboxAssembly}";
        var stateDir = args.SkipWhile(a => a != "--state-dir").Skip(1).FirstOrDefault();
        if (stateDir is null || (stateDir != Path.GetDirectoryName(Path.Combine(_paths.SandboxFolder, "sandbox.log")) && Path.GetFullPath(stateDir) != Path.GetFullPath(_paths.SandboxFolder)))
            return $"its command line does not use the state folder {_paths.SandboxFolder}";
        return null;
    }
}
