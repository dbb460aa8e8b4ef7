using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Investigation;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Langfuse;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The Incident Response runbook's investigation steps for one of its common incidents, run in order, each read as
/// <see cref="TriageEvidence"/> (a step whose source is missing or fails says so and the others go on), and the matching
/// resolution step named as the command to run. It only reads; attaching the evidence to an incident is the caller's change.
/// </summary>
public sealed partial class IncidentTriager
{
    private readonly TriageSources _sources;
    private readonly TimeProvider _time;

    public IncidentTriager(TriageSources sources, TimeProvider? time = null)
    {
        _sources = sources;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The steps each symptom runs, in the runbook's order (also Write-Progress's count).</summary>
    public static IReadOnlyList<string> Steps(TriageSymptom symptom) => symptom switch
    {
        TriageSymptom.DatabaseConnection => new[] { "InstanceStatus", "PgIsReady", "AppLogin", "DbLogErrors", "Connections", "Network", "RecentChanges" },
        TriageSymptom.LlmDegradation => new[] { "LlmConfig", "LlmErrorLines", "LangfuseMetrics", "RecentChanges" },
        _ => new[] { "ErrorRate", "ErrorLines", "Pressure", "RecentChanges" },
    };

    public async Task<IncidentTriage> RunAsync(TriageRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (request.Symptom == TriageSymptom.DatabaseConnection && string.IsNullOrEmpty(request.DbInstanceId))
            throw new OpsException("DbInstanceIdNotSet", OpsErrorCategory.InvalidArgument,
                "The DatabaseConnection triage needs the DB instance: give -DbInstanceId, or set DbInstanceId in the context.", null, isFatal: true);
        var started = _time.GetUtcNow();
        var steps = Steps(request.Symptom);
        var evidence = new List<TriageEvidence>();
        var state = new Findings();
        for (var i = 0; i < steps.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            events?.Report(new OpsProgress(1, $"Triage {request.Symptom}", steps[i], 100 * i / steps.Count));
            var found = await StepAsync(steps[i], request, state, events, ct).ConfigureAwait(false);
            evidence.Add(found);
            events.Verbose(found.ToString());
        }
        events?.Report(new OpsProgress(1, $"Triage {request.Symptom}", "Done", 100, Completed: true));
        return new IncidentTriage
        {
            Symptom = request.Symptom, Namespace = request.Namespace, DbInstanceId = request.DbInstanceId, StartedAt = started, EndedAt = _time.GetUtcNow(),
            Evidence = evidence, Resolution = Resolve(request, state, evidence),
        };
    }

    /// <summary>What the steps found that the resolution needs (typed, so the resolution never reads the summaries' words).</summary>
    private sealed class Findings
    {
        public DbInstance? Instance;
        public PodCommandResult? PgIsReady;
        public DbSecretTestResult? AppLogin;
        public DbActivityReport? Activity;
        public string? ActivityErrorId;
        public string? ActivityError;
        public DbSecurityFacts? Network;
        public int DbLogTooMany;
        public IReadOnlyList<ErrorLogGroup> ErrorLines = Array.Empty<ErrorLogGroup>();
        public LlmServiceConfig? LlmConfig;
        public IReadOnlyList<LlmMetric> LlmMetrics = Array.Empty<LlmMetric>();
        public AlertInvestigation? Investigation;
        public IReadOnlyList<RecentChange> Changes = Array.Empty<RecentChange>();
        public int? LlmReplicas;
        /// <summary>max_connections as the instance's parameter group sets it (when the server itself cannot be asked).</summary>
        public int? GroupMaxConnections;
        /// <summary>The replicas of the first spiked service (HighErrorRate), for the scale-up suggestion.</summary>
        public int? SpikedReplicas;
    }

    private static readonly Dictionary<string, string> SourceOf = new()
    {
        ["InstanceStatus"] = "RDS", ["PgIsReady"] = "Kubernetes", ["AppLogin"] = "PostgreSQL", ["DbLogErrors"] = "RDS", ["Connections"] = "PostgreSQL",
        ["Network"] = "EC2", ["RecentChanges"] = "Kubernetes", ["LlmConfig"] = "Kubernetes", ["LlmErrorLines"] = "Kubernetes",
        ["LangfuseMetrics"] = "Langfuse", ["ErrorRate"] = "Prometheus", ["ErrorLines"] = "Kubernetes", ["Pressure"] = "Prometheus",
    };

    private async Task<TriageEvidence> StepAsync(string step, TriageRequest r, Findings f, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var source = SourceOf[step];
        TriageEvidence Make(TriageStatus status, string summary, object? detail = null, string? errorId = null) =>
            new() { Step = step, Source = source, Status = status, Summary = summary, Detail = detail, ErrorId = errorId, At = _time.GetUtcNow() };
        string? Missing(params (object? Client, string Name)[] needs)
        {
            foreach (var (client, name) in needs)
                if (client is null) return $"{name} not configured" + (_sources.Unavailable.TryGetValue(name, out var why) ? $" ({why})" : "") + ".";
            return null;
        }
        try
        {
            switch (step)
            {
                case "InstanceStatus":
                {
                    if (Missing((_sources.Rds, "RDS")) is { } m) return Make(TriageStatus.Skipped, m);
                    var instance = await new RdsOperations(_sources.Rds!).FindInstanceAsync(r.DbInstanceId!, ct).ConfigureAwait(false);
                    if (instance is null) return Make(TriageStatus.Problem, $"DB instance '{r.DbInstanceId}' was not found.", errorId: "DBInstanceNotFound");
                    f.Instance = instance;
                    if (instance.ParameterGroup is { Length: > 0 } group)
                    {
                        try
                        {
                            var max = await new DbParameterOperations(_sources.Rds!).FindParameterAsync(group, "max_connections", ct).ConfigureAwait(false);
                            if (int.TryParse(max?.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)) f.GroupMaxConnections = value;
                        }
                        catch (OpsException ex) when (!ex.IsFatal) { events.Verbose($"max_connections of {group} not read: {ex.ErrorId}: {ex.Message}"); }
                    }
                    var text = $"{instance.DbInstanceId} is {instance.Status} ({instance.InstanceClass}, {instance.Engine} {instance.EngineVersion}), parameter group {instance.ParameterGroup} {instance.ParameterApplyStatus ?? "in-sync"}" +
                               (instance.PendingInstanceClass is { } pc ? $", class change to {pc} pending" : "") + ".";
                    return Make(instance.Status == "available" ? TriageStatus.Ok : TriageStatus.Problem, text, instance);
                }
                case "PgIsReady":
                {
                    if (Missing((_sources.Kube, "Kubernetes")) is { } m) return Make(TriageStatus.Skipped, m);
                    var result = await new PodExec(_sources.Kube!, _time).RunAsync(new PodCommandRequest
                    {
                        Namespace = r.Namespace, Deployment = r.AppDeployment, Command = new[] { "sh", "-c", "pg_isready -h $DB_HOST" },
                    }, ct).ConfigureAwait(false);
                    f.PgIsReady = result;
                    var said = FirstLine(result.StdOut) ?? FirstLine(result.StdErr) ?? "(no output)";
                    return result.ExitCode switch
                    {
                        0 => Make(TriageStatus.Ok, $"pg_isready in {result.Pod}: {said} (exit 0; a server out of connection slots still says so).", result),
                        1 => Make(TriageStatus.Problem, $"pg_isready in {result.Pod}: {said} (exit 1: the server is rejecting connections, starting or shutting down).", result),
                        2 => Make(TriageStatus.Problem, $"pg_isready in {result.Pod}: {said} (exit 2: no response from the server's address: network or the server is down).", result),
                        _ => Make(TriageStatus.Unknown, $"pg_isready in {result.Pod} exited {result.ExitCode}: {said}", result, "PodCommandFailed"),
                    };
                }
                case "AppLogin":
                {
                    if (Missing((_sources.Kube, "Kubernetes")) is { } m) return Make(TriageStatus.Skipped, m);
                    var login = await new DbSecretVerifier(_sources.Kube!, _time).TestAsync(new DbSecretTestRequest { Namespace = r.Namespace, Name = r.DbSecretName }, ct).ConfigureAwait(false);
                    f.AppLogin = login;
                    if (login.Succeeded) return Make(TriageStatus.Ok, $"The app's credentials (secret {login.Secret}, user {login.User}) log in to {login.ConnectedTo}.", login);
                    var status = login.ErrorId is "DbTooManyConnections" or "DbAuthenticationFailed" or "DbDatabaseNotFound" or "DbSecretIncomplete" ? TriageStatus.Problem : TriageStatus.Unknown;
                    var where = status == TriageStatus.Unknown ? " from this machine (the pod's pg_isready above is the in-cluster view)" : "";
                    return Make(status, $"The app's credentials (secret {login.Secret}, user {login.User}) do not log in to {login.ConnectedTo}{where}: {login.ErrorId}: {login.Error}", login, login.ErrorId);
                }
                case "DbLogErrors":
                {
                    if (Missing((_sources.Rds, "RDS")) is { } m) return Make(TriageStatus.Skipped, m);
                    var rds = new RdsOperations(_sources.Rds!);
                    DbLogFile? newest = null;
                    await foreach (var file in rds.GetLogFilesAsync(r.DbInstanceId!, "error", ct).ConfigureAwait(false))
                        if (newest is null || file.LastWritten > newest.LastWritten) newest = file;
                    if (newest is null) return Make(TriageStatus.Unknown, "The instance has no error log file.", errorId: "DbLogFileNotFound");
                    var lines = new List<DbLogLine>();
                    await foreach (var line in rds.ReadLogAsync(r.DbInstanceId!, newest.LogFileName, 1000, DbLogError(), ct).ConfigureAwait(false)) lines.Add(line);
                    var groups = lines.GroupBy(l => LogMessage(l.Line)).OrderByDescending(g => g.Count()).Take(3).ToList();
                    f.DbLogTooMany = lines.Count(l => TooManyClients().IsMatch(l.Line));
                    if (lines.Count == 0) return Make(TriageStatus.Ok, $"No ERROR, FATAL or PANIC line in the last 1000 lines of {newest.LogFileName}.", newest);
                    return Make(TriageStatus.Problem, $"{lines.Count} error lines in the tail of {newest.LogFileName}; most: " +
                        string.Join("; ", groups.Select(g => $"{g.Count()} x {g.Key}")), lines.TakeLast(20).ToList());
                }
                case "Connections":
                {
                    if (Missing((_sources.Database, "PostgreSQL")) is { } m) return Make(TriageStatus.Skipped, m);
                    DbActivityReport report;
                    try
                    {
                        report = await new PgActivityReader(_time).ReadAsync(_sources.Database!, ct).ConfigureAwait(false);
                    }
                    catch (OpsException ex) when (ex.ErrorId == PgConnect.ExhaustedErrorId)
                    {
                        f.ActivityErrorId = ex.ErrorId;
                        f.ActivityError = ex.Message;
                        return Make(TriageStatus.Problem, $"No connection slot is left: a login was refused ({ex.Message}).", errorId: ex.ErrorId);
                    }
                    f.Activity = report;
                    var top = report.ByApplication.OrderByDescending(g => g.Count).FirstOrDefault();
                    var text = $"{report.InUse} connections in use of max_connections {report.MaxConnections} ({report.ReservedForSuperuser} reserved for superusers, " +
                               $"{report.UsedPercent:0}% of what ordinary roles may use)" + (top is null ? "" : $"; most from {(string.IsNullOrEmpty(top.Name) ? "(no application name)" : top.Name)}: {top.Count}") +
                               (report.Blocking.Count > 0 ? $"; {report.Blocking.Count} blocked queries" : "") + ".";
                    return Make(report.IsExhausted || report.UsedPercent >= r.ConnectionsThresholdPercent || report.Blocking.Count > 0 ? TriageStatus.Problem : TriageStatus.Ok, text, report);
                }
                case "Network":
                {
                    if (Missing((_sources.Rds, "RDS"), (_sources.Ec2, "EC2")) is { } m) return Make(TriageStatus.Skipped, m);
                    var facts = await new DbNetworkReader(_sources.Rds!, _sources.Ec2!).GetSecurityFactsAsync(r.DbInstanceId!, ct).ConfigureAwait(false);
                    f.Network = facts;
                    var text = $"Security groups {string.Join(", ", facts.SecurityGroups.Select(g => g.GroupId))}; subnets in {facts.Subnets.Select(s => s.AvailabilityZone).Distinct().Count()} AZs. " + string.Join(" ", facts.Findings);
                    return Make(facts.PortOpen ? TriageStatus.Ok : TriageStatus.Problem, text.Trim(), facts);
                }
                case "RecentChanges":
                {
                    if (Missing((_sources.Kube, "Kubernetes")) is { } m) return Make(TriageStatus.Skipped, m);
                    var investigator = new AlertInvestigator(null, _sources.Kube, _time, _sources.Argo, _sources.Unavailable.GetValueOrDefault("Argo CD"));
                    var start = _time.GetUtcNow() - r.Since;
                    var changes = (await investigator.RolloutsAsync(r.Namespace, start, null, null, null, ct).ConfigureAwait(false)).ToList();
                    var argoNote = "";
                    if (_sources.Argo is not null) changes.AddRange(await investigator.SyncsAsync(r.Namespace, start, null, events, ct).ConfigureAwait(false));
                    else argoNote = " " + investigator.ArgoCdUnavailable + ".";
                    changes.Sort((a, b) => b.Time.CompareTo(a.Time));
                    f.Changes = changes;
                    var text = changes.Count == 0 ? $"No rollout or sync in {r.Namespace} in the last {Waiting.Waiter.Format(r.Since)}."
                        : $"{changes.Count} in the last {Waiting.Waiter.Format(r.Since)}; newest: " + string.Join("; ", changes.Take(3).Select(c => $"{c.Time:HH:mm} {c.Kind} {c.Target}: {c.Summary}"));
                    return Make(TriageStatus.Info, text + argoNote, changes);
                }
                case "LlmConfig":
                {
                    if (Missing((_sources.Kube, "Kubernetes")) is { } m) return Make(TriageStatus.Skipped, m);
                    var config = await new LlmServiceConfigurator(_sources.Kube!, _time).GetAsync(new LlmConfigRequest { Namespace = r.Namespace, Deployment = r.LlmDeployment }, ct).ConfigureAwait(false);
                    f.LlmConfig = config;
                    try { f.LlmReplicas = (await new DeploymentScaler(_sources.Kube!).GetAsync(r.Namespace, r.LlmDeployment, ct).ConfigureAwait(false)).Replicas; }
                    catch (OpsException) { f.LlmReplicas = null; }
                    return Make(TriageStatus.Info, $"Provider {config.Provider ?? "(not set)"}{(config.OnFallback ? " (the fallback)" : "")}, fallback {config.FallbackProvider ?? "(none)"}, " +
                        $"rate limit {(config.RequestsPerMinute is { } rpm ? rpm + "/min" : "none")}{(f.LlmReplicas is { } n ? $", {n} replicas" : "")}. The provider's own status page is outside the cluster and not read here.", config);
                }
                case "LlmErrorLines":
                case "ErrorLines":
                {
                    if (Missing((_sources.Kube, "Kubernetes")) is { } m) return Make(TriageStatus.Skipped, m);
                    var services = step == "LlmErrorLines" ? new[] { r.LlmDeployment }
                        : (f.Investigation?.AffectedServices is { Count: > 0 } affected ? affected.ToArray() : new[] { r.AppDeployment });
                    var groups = await new AlertInvestigator(null, _sources.Kube, _time).ErrorLinesAsync(r.Namespace, services, r.Since, 5, ct).ConfigureAwait(false);
                    f.ErrorLines = groups;
                    if (groups.Count == 0) return Make(TriageStatus.Ok, $"No error lines from {string.Join(", ", services)} in the last {Waiting.Waiter.Format(r.Since)}.", groups);
                    return Make(TriageStatus.Problem, $"{groups.Sum(g => g.Count)} error lines from {string.Join(", ", services)}; most: " +
                        string.Join("; ", groups.Take(3).Select(g => $"{g.Count} x {g.Example}")), groups);
                }
                case "LangfuseMetrics":
                {
                    if (Missing((_sources.Langfuse, "Langfuse")) is { } m) return Make(TriageStatus.Skipped, m);
                    var now = _time.GetUtcNow();
                    var metrics = await _sources.Langfuse!.GetMetricsAsync(new LlmMetricQuery { From = now - r.Since, To = now, GroupBy = new[] { LlmMetricGrouping.Model } }, ct).ConfigureAwait(false);
                    f.LlmMetrics = metrics;
                    if (metrics.Count == 0 || metrics.Sum(x => x.Generations) == 0) return Make(TriageStatus.Unknown, $"Langfuse has no generations in the last {Waiting.Waiter.Format(r.Since)}.", metrics, "LlmMetricsEmpty");
                    var bad = metrics.Where(x => x.ErrorRatePercent > r.LlmErrorRateThresholdPercent || x.LatencyP95Ms > r.LlmLatencyP95ThresholdMs).ToList();
                    var text = string.Join("; ", metrics.OrderByDescending(x => x.Generations).Select(x =>
                        $"{x.Model ?? "(no model)"}: {x.Generations} generations, {x.ErrorRatePercent:0.#}% errors, p95 {(x.LatencyP95Ms is { } p ? $"{p:0} ms" : "n/a")}, {AverageInput(x):0} input tokens each"));
                    return Make(bad.Count > 0 ? TriageStatus.Problem : TriageStatus.Ok, text + ".", metrics);
                }
                case "ErrorRate":
                case "Pressure":
                {
                    if (Missing((_sources.Prometheus, "Prometheus")) is { } m) return Make(TriageStatus.Skipped, m);
                    var investigator = new AlertInvestigator(_sources.Prometheus, _sources.Kube, _time, _sources.Argo, _sources.Unavailable.GetValueOrDefault("Argo CD"));
                    if (step == "ErrorRate")
                    {
                        var spikes = await investigator.SpikesAsync(new InvestigationRequest
                        {
                            Alert = "HighErrorRate", Namespace = r.Namespace, Start = _time.GetUtcNow() - r.Since, Threshold = r.ErrorRateThresholdPercent,
                        }, events, ct).ConfigureAwait(false);
                        f.Investigation = new AlertInvestigation { Alert = "HighErrorRate", Namespace = r.Namespace, Spikes = spikes };
                        if (spikes.Count > 0 && _sources.Kube is not null)
                        {
                            try { f.SpikedReplicas = (await new DeploymentScaler(_sources.Kube).GetAsync(r.Namespace, spikes[0].Service, ct).ConfigureAwait(false)).Replicas; }
                            catch (OpsException) { f.SpikedReplicas = null; }
                        }
                        if (spikes.Count == 0) return Make(TriageStatus.Ok, $"No service above {r.ErrorRateThresholdPercent}% 5xx in the last {Waiting.Waiter.Format(r.Since)}.", spikes);
                        return Make(TriageStatus.Problem, string.Join("; ", spikes.Select(s => s.ToString())), spikes);
                    }
                    var pressure = await investigator.PressureAsync(r.Namespace, null, events, ct).ConfigureAwait(false);
                    var under = pressure.Where(p => p.UnderPressure).ToList();
                    return Make(under.Count > 0 ? TriageStatus.Problem : TriageStatus.Ok,
                        under.Count == 0 ? "No pod or node under pressure." : string.Join("; ", under.Take(3).Select(p => $"{p.Scope} {p.Name}: {p.Reason}")), pressure);
                }
            }
        }
        catch (OpsException ex) when (!ex.IsFatal || ex.Category != OpsErrorCategory.InvalidArgument)
        {
            events.Verbose($"{step}: {ex.ErrorId}: {ex.Message}");
            return Make(TriageStatus.Unknown, $"Could not be read: {ex.ErrorId}: {ex.Message}", errorId: ex.ErrorId);
        }
        throw new InvalidOperationException("Unknown triage step " + step);
    }

    private static double AverageInput(LlmMetric m) => m.Generations == 0 ? 0 : (double)m.InputTokens / m.Generations;

    private static string? FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    [GeneratedRegex(@"\b(ERROR|FATAL|PANIC):")]
    private static partial Regex DbLogError();

    [GeneratedRegex(@"too many clients|remaining connection slots are reserved", RegexOptions.IgnoreCase)]
    private static partial Regex TooManyClients();

    [GeneratedRegex(@"\b(429|rate.?limit|too many requests|quota)", RegexOptions.IgnoreCase)]
    private static partial Regex RateLimited();

    /// <summary>A log line's message without PostgreSQL's prefix (time, user, pid): what groups lines.</summary>
    private static string LogMessage(string line)
    {
        var m = DbLogError().Match(line);
        return m.Success ? line[m.Index..].Trim() : line.Trim();
    }

    /// <summary>The runbook's resolution for what the evidence shows.</summary>
    private static TriageResolution Resolve(TriageRequest r, Findings f, IReadOnlyList<TriageEvidence> evidence)
    {
        string[] Steps(params string[] names) => names.Where(n => evidence.Any(e => e.Step == n && e.Status == TriageStatus.Problem)).ToArray();
        switch (r.Symptom)
        {
            case TriageSymptom.DatabaseConnection:
            {
                var id = r.DbInstanceId;
                var exhausted = f.Activity?.IsExhausted == true || f.ActivityErrorId == PgConnect.ExhaustedErrorId || f.AppLogin?.ErrorId == "DbTooManyConnections";
                var nearLimit = f.Activity is { } a && a.UsedPercent >= r.ConnectionsThresholdPercent;
                if (exhausted || nearLimit)
                {
                    var max = f.Activity?.MaxConnections ?? f.GroupMaxConnections;
                    var value = max is { } mc ? Math.Max(mc * 2, mc + 100).ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : $"([int](Get-DbParameter -DbInstanceId {id} -Name max_connections).Value * 2)";
                    var who = f.Activity?.ByApplication.OrderByDescending(g => g.Count).FirstOrDefault();
                    return new TriageResolution
                    {
                        Cause = "ConnectionLimit",
                        Reason = (exhausted ? "Every connection slot for ordinary roles is taken" : $"Connections are at {f.Activity!.UsedPercent:0}% of the limit") +
                                 (max is { } m2 ? $" (max_connections {m2})" : "") + (who is { Count: > 0 } ? $"; {who.Name} holds {who.Count}" : "") +
                                 ". Raise max_connections (a static parameter: it takes a reboot, in the Database window), or first end idle sessions with Get-DbActivity -Detail | Stop-DbQuery.",
                        Command = $"Set-DbParameter -DbInstanceId {id} -Name max_connections -Value {value} -ApplyMethod pending-reboot; Restart-DbInstance -DbInstanceId {id} -Wait",
                        Evidence = Steps("Connections", "AppLogin", "DbLogErrors"),
                    };
                }
                if (f.AppLogin?.ErrorId is "DbAuthenticationFailed" or "DbSecretIncomplete" or "DbDatabaseNotFound")
                    return new TriageResolution
                    {
                        Cause = "Credentials", Reason = $"The app's secret does not log in ({f.AppLogin.ErrorId}). Verify the credentials and update the secret; the deployments restart with it.",
                        Command = $"Update-DbConnectionSecret -Namespace {r.Namespace} -Credential (Get-Credential)", Evidence = Steps("AppLogin"),
                    };
                if (f.Instance is { } inst && inst.Status != "available")
                    return new TriageResolution
                    {
                        Cause = "InstanceUnavailable", Reason = $"The instance is {inst.Status}: connections fail until it is available again.",
                        Command = $"Wait-DbInstance -DbInstanceId {id}", Evidence = Steps("InstanceStatus"),
                    };
                if (f.Network is { PortOpen: false } || f.PgIsReady?.ExitCode == 2)
                    return new TriageResolution
                    {
                        Cause = "Network", Reason = f.Network is { PortOpen: false } ? "No inbound rule of the instance's security groups admits its port." : "The app's pod gets no response from the database's address while the instance is available: check security groups and subnets.",
                        Command = $"Get-DbSecurityGroup -DbInstanceId {id}", Evidence = Steps("Network", "PgIsReady"),
                    };
                if (f.Activity is { } act && (act.Blocking.Count > 0 || act.LongestRunning.Any(s => s.QueryDuration > TimeSpan.FromMinutes(5))))
                    return new TriageResolution
                    {
                        Cause = "Overloaded", Reason = $"{act.Blocking.Count} blocked queries and long-running ones hold the database: end them, then optimise the queries or scale the instance up (Set-DbInstanceClass).",
                        Command = "Get-DbActivity -Detail | Where-Object QueryDuration -gt '00:05:00' | Stop-DbQuery", Evidence = Steps("Connections"),
                    };
                return new TriageResolution { Cause = "None", Reason = "No step found a cause: the database answers, logs in and has free connections. Look at the application's own logs (Get-PodLog)." };
            }
            case TriageSymptom.LlmDegradation:
            {
                var limited = f.ErrorLines.Where(g => RateLimited().IsMatch(g.Example)).Sum(g => g.Count);
                var failing = f.LlmMetrics.Any(m => m.ErrorRatePercent > r.LlmErrorRateThresholdPercent);
                var slow = f.LlmMetrics.Any(m => m.LatencyP95Ms > r.LlmLatencyP95ThresholdMs);
                var longPrompts = f.LlmMetrics.Any(m => AverageInput(m) > 8000);
                if (limited > 0)
                {
                    var rpm = f.LlmConfig?.RequestsPerMinute is { } current ? Math.Max(1, current / 2) : 60;
                    return new TriageResolution
                    {
                        Cause = "Throttling", Reason = $"{limited} error lines say the provider is rate limiting: throttle requests until it recovers (revert with -Revert).",
                        Command = $"Set-LlmRequestLimit -Namespace {r.Namespace} -RequestsPerMinute {rpm}", Evidence = Steps("LlmErrorLines", "LangfuseMetrics"),
                    };
                }
                if (failing && f.LlmConfig is { OnFallback: false, FallbackProvider: { Length: > 0 } fallback })
                    return new TriageResolution
                    {
                        Cause = "ProviderErrors", Reason = $"Generations fail above {r.LlmErrorRateThresholdPercent}% on {f.LlmConfig.Provider}: switch to the fallback provider {fallback} (Switch-LlmProvider -Revert goes back).",
                        Command = $"Switch-LlmProvider -Namespace {r.Namespace} -Wait", Evidence = Steps("LangfuseMetrics", "LlmErrorLines"),
                    };
                if (slow && longPrompts)
                    return new TriageResolution
                    {
                        Cause = "LongPrompts", Reason = "Latency is high and prompts are long (over 8000 input tokens on average): find the traces with the longest inputs.",
                        Command = $"Get-LlmTrace -From (Get-Date).AddHours(-1) | Sort-Object InputTokens -Descending | Select-Object -First 10", Evidence = Steps("LangfuseMetrics"),
                    };
                if (slow || failing)
                    return new TriageResolution
                    {
                        Cause = "Capacity", Reason = "The LLM service is slow or failing without a provider-side cause in its logs: scale it up.",
                        Command = $"Set-DeploymentScale -Namespace {r.Namespace} -Name {r.LlmDeployment} -Replicas {(f.LlmReplicas ?? 1) + 1} -Wait", Evidence = Steps("LangfuseMetrics"),
                    };
                if (f.ErrorLines.Count > 0)
                {
                    var rollout = f.Changes.FirstOrDefault(c => c.Kind == RecentChangeKind.Rollout && c.Target == r.LlmDeployment);
                    if (rollout is not null)
                        return new TriageResolution
                        {
                            Cause = "RollBack", Reason = $"{r.LlmDeployment} logs errors since its rollout at {rollout.Time:HH:mm} ({rollout.Summary}) while Langfuse shows no provider-side failure: roll it back.",
                            Command = $"Undo-Deployment -Namespace {r.Namespace} -Name {r.LlmDeployment} -Wait", Evidence = Steps("LlmErrorLines", "RecentChanges"),
                        };
                    return new TriageResolution
                    {
                        Cause = "Investigate", Reason = $"{r.LlmDeployment} logs errors that neither Langfuse nor a recent change explains: read them.",
                        Command = $"Get-PodLog -Namespace {r.Namespace} -Deployment {r.LlmDeployment} -Since {(int)Math.Ceiling(r.Since.TotalMinutes)}m -Pattern 'ERROR|Exception'", Evidence = Steps("LlmErrorLines"),
                    };
                }
                return new TriageResolution { Cause = "None", Reason = "Langfuse and the service's logs show no degradation in the window." };
            }
            default:
            {
                var spiked = f.Investigation?.AffectedServices ?? Array.Empty<string>();
                var change = f.Changes.FirstOrDefault(c => c.Kind == RecentChangeKind.Rollout && spiked.Contains(c.Target)) ?? f.Changes.FirstOrDefault(c => c.Kind == RecentChangeKind.Rollout);
                if (spiked.Count > 0 && change is not null)
                    return new TriageResolution
                    {
                        Cause = "RollBack", Reason = $"{string.Join(", ", spiked)} spiked after the rollout of {change.Target} at {change.Time:HH:mm}: roll it back.",
                        Command = $"Undo-Deployment -Namespace {r.Namespace} -Name {change.Target} -Wait", Evidence = Steps("ErrorRate", "RecentChanges"),
                    };
                if (spiked.Count > 0 && evidence.Any(e => e.Step == "Pressure" && e.Status == TriageStatus.Problem))
                    return new TriageResolution
                    {
                        Cause = "Capacity", Reason = $"{string.Join(", ", spiked)} spiked while pods or nodes are under pressure: scale up.",
                        Command = $"Set-DeploymentScale -Namespace {r.Namespace} -Name {spiked[0]} -Replicas {(f.SpikedReplicas ?? 1) + 1} -Wait", Evidence = Steps("ErrorRate", "Pressure"),
                    };
                if (spiked.Count > 0)
                    return new TriageResolution
                    {
                        Cause = "Investigate", Reason = $"{string.Join(", ", spiked)} spiked with no recent change or pressure: read the full investigation.",
                        Command = $"Get-AlertInvestigation -Namespace {r.Namespace}", Evidence = Steps("ErrorRate", "ErrorLines"),
                    };
                return new TriageResolution { Cause = "None", Reason = "No service is above the error-rate threshold in the window." };
            }
        }
    }
}
