using System.Globalization;
using System.Text.RegularExpressions;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Investigation;

/// <summary>
/// The Monitoring runbook's High Error Rate response, assessed: each piece on its own (spikes from a Prometheus range query,
/// rollouts from the deployments' revisions, the journal's entries, the affected pods' error lines grouped and counted,
/// pod and node pressure, Argo CD's syncs into the namespace), and all of them with the suggested action in
/// <see cref="InvestigateAsync"/>. Prometheus is required; Kubernetes and Argo CD may be null (their pieces are then gaps).
/// </summary>
public sealed partial class AlertInvestigator
{
    /// <summary>The alerts it knows: their expression (by namespace and service), the unit, the scale from Prometheus' value to the unit, the rule's threshold.</summary>
    public static readonly IReadOnlyDictionary<string, (string Expression, string Unit, double Scale, double Threshold)> Alerts =
        new Dictionary<string, (string, string, double, double)>(StringComparer.OrdinalIgnoreCase)
        {
            ["HighErrorRate"] = ("sum by (namespace, service) (rate(http_requests_total{{{0}code=~\"5..\"}}[1m])) / sum by (namespace, service) (rate(http_requests_total{{{1}}}[1m]))", "%", 100, 5),
            ["HighLatencyP95"] = ("histogram_quantile(0.95, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{{{1}}}[1m])))", "ms", 1000, 1000),
        };

    /// <summary>Pods above this share of their requests, nodes above this share of their capacity, are under pressure.</summary>
    public const double PodPressurePercent = 90, NodePressurePercent = 85;

    private readonly PromQueries? _prometheus;
    private readonly KubeClient? _kube;
    private readonly TimeProvider _time;
    private readonly ArgoQueries? _argo;
    private readonly string _argoUnavailable;

    /// <param name="prometheus">Required for spikes, pressure and the whole investigation; rollouts and error lines need only <paramref name="kube"/>.</param>
    /// <param name="argo">Argo CD, for the syncs in the window; null leaves them out, with <paramref name="argoUnavailable"/> as the reason.</param>
    public AlertInvestigator(PromQueries? prometheus, KubeClient? kube, TimeProvider? time = null, ArgoQueries? argo = null, string? argoUnavailable = null)
    {
        _prometheus = prometheus;
        _kube = kube;
        _time = time ?? TimeProvider.System;
        _argo = argo;
        _argoUnavailable = ArgoCdNotConfigured + (string.IsNullOrEmpty(argoUnavailable) ? "" : " (" + argoUnavailable + ")");
    }

    /// <summary>Why Argo CD's syncs are left out, when they are (null when Argo CD is configured).</summary>
    public string? ArgoCdUnavailable => _argo is null ? _argoUnavailable : null;

    private PromQueries Prometheus => _prometheus ?? throw new InvalidOperationException("This investigation was made without Prometheus.");

    private static (string Expression, string Unit, double Scale, double Threshold) Definition(string alert) =>
        Alerts.TryGetValue(alert, out var d) ? d
            : throw new OpsException("InvestigationAlertUnknown", OpsErrorCategory.InvalidArgument,
                $"No investigation for alert '{alert}': use {string.Join(" or ", Alerts.Keys)}.", alert);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>The alert's expression for one namespace (and services), as the rule computes it.</summary>
    public static string Expression(string alert, string ns, IReadOnlyList<string>? services)
    {
        var selector = $"namespace={Quote(ns)},";
        if (services is { Count: > 0 }) selector += $"service=~{Quote(Alertmanager.AlertMatcher.AnyOf(services))},";
        return string.Format(CultureInfo.InvariantCulture, Definition(alert).Expression, selector, selector.TrimEnd(','));
    }

    // ---------------------------------------------------------------- spikes

    /// <summary>The services whose measure went above the threshold in the window, most recent spike first (one range query).</summary>
    public async Task<IReadOnlyList<ServiceSpike>> SpikesAsync(InvestigationRequest r, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var def = Definition(r.Alert);
        var end = r.End ?? _time.GetUtcNow();
        if (end <= r.Start)
            throw new OpsException("InvestigationWindowInvalid", OpsErrorCategory.InvalidArgument, $"The window ends ({end:u}) before it starts ({r.Start:u}).", r.Start);
        var step = TimeSpan.FromSeconds(Math.Max(2, Math.Ceiling((end - r.Start).TotalSeconds / 300)));
        var result = await Prometheus.QueryAsync(new PromQuery { Expression = Expression(r.Alert, r.Namespace, r.Services), Start = r.Start, End = end, Step = step }, events, ct).ConfigureAwait(false);
        var threshold = r.Threshold ?? def.Threshold;
        return result.Series.Select(s => Detect(s, r.Alert, threshold, def.Scale, def.Unit)).OfType<ServiceSpike>()
            .OrderByDescending(s => s.Ongoing).ThenByDescending(s => s.Since).ToList();
    }

    /// <summary>
    /// One series' spike: null when no point is above <paramref name="threshold"/> (in the unit, after <paramref name="scale"/>),
    /// else since when its latest run above it lasts (points with no value, NaN, neither break nor extend a run), its peak and latest value.
    /// </summary>
    public static ServiceSpike? Detect(PromSeries series, string alert, double threshold, double scale, string unit)
    {
        var points = series.Samples.Where(p => !double.IsNaN(p.Value)).Select(p => (p.Timestamp, Value: p.Value * scale)).ToList();
        var last = points.FindLastIndex(p => p.Value > threshold);
        if (last < 0) return null;
        var first = last;
        while (first > 0 && points[first - 1].Value > threshold) first--;
        var peak = points.MaxBy(p => p.Value);
        var latest = points[^1];
        return new ServiceSpike
        {
            Alert = alert, Unit = unit, Threshold = threshold,
            Namespace = series.Metric.TryGetValue("namespace", out var ns) ? ns : "",
            Service = series.Metric.TryGetValue("service", out var svc) ? svc : "",
            Since = points[first].Timestamp, Ongoing = latest.Value > threshold,
            Peak = Math.Round(peak.Value, 2), PeakAt = peak.Timestamp, Latest = Math.Round(latest.Value, 2), LatestAt = latest.Timestamp,
        };
    }

    // ---------------------------------------------------------------- changes

    /// <summary>
    /// The deployments' revisions created in the window (every deployment of the namespace, or those named), newest first;
    /// <paramref name="affected"/> marks the ones of spiked services. A null <paramref name="end"/> is a window that runs to
    /// now: it takes in the newest revisions even when the cluster's clock runs ahead of this machine's.
    /// </summary>
    public async Task<IReadOnlyList<RecentChange>> RolloutsAsync(string ns, DateTimeOffset start, DateTimeOffset? end, IReadOnlyList<string>? services,
        IReadOnlyCollection<string>? affected, CancellationToken ct)
    {
        var kube = _kube ?? throw new OpsException("KubeNotConfigured", OpsErrorCategory.InvalidOperation, "No Kubernetes cluster to read rollouts from.", ns);
        var names = new List<string>();
        await foreach (var d in new KubeQueries(kube).ListDeploymentsAsync(new KubeListRequest { Namespace = ns }, ct).ConfigureAwait(false))
            if (services is not { Count: > 0 } || services.Contains(d.Name, StringComparer.Ordinal)) names.Add(d.Name);
        var changes = new List<RecentChange>();
        foreach (var name in names)
            foreach (var rev in await new Rollouts(kube).HistoryAsync(new RolloutRequest(ns, name), ct).ConfigureAwait(false))
                if (rev.Created is { } created && created >= start && (end is null || created <= end))
                    changes.Add(new RecentChange
                    {
                        Time = created, Kind = RecentChangeKind.Rollout, Namespace = ns, Target = name, Revision = rev.Revision, Images = rev.Images,
                        Summary = $"revision {rev.Revision} ({string.Join(", ", rev.Images.Distinct())}){(rev.IsCurrent ? ", current" : "")}",
                        By = rev.ChangeCause, AffectsSpikedService = affected?.Contains(name) == true,
                    });
        return changes.OrderByDescending(c => c.Time).ThenByDescending(c => c.Revision).ToList();
    }

    /// <summary>The journal's entries in the window that made, or tried to make, a change (WhatIf and Declined left out), newest first.</summary>
    public static IReadOnlyList<JournalEntry> JournalEntries(string journalFile, DateTimeOffset start, DateTimeOffset end) =>
        new OpsJournal(journalFile).Read(new JournalQuery { After = start, Before = end, Outcome = new[] { JournalOutcome.Succeeded, JournalOutcome.Failed } })
            .OrderByDescending(e => e.Timestamp).ToList();

    /// <summary>A journal entry as a change in the window: its target, its action and outcome (with the error id), who ran which command.</summary>
    public static RecentChange ChangeOf(JournalEntry e) => new()
    {
        Time = e.Timestamp, Kind = RecentChangeKind.Journal, Target = e.Target ?? "", By = $"{e.User} ({e.Command})",
        Summary = $"{e.Action} ({e.Outcome}{(e.ErrorId is null ? "" : ": " + e.ErrorId)})",
    };

    /// <summary>Said when Argo CD's syncs could not be read (no server or token, or it did not answer); never made up.</summary>
    public const string ArgoCdNotConfigured = "Argo CD not read: no syncs are listed; check the Argo CD UI or 'argocd app history' for syncs in the window";

    /// <summary>
    /// Argo CD's syncs into the namespace in the window, newest first, as changes (the application, the history id and the tag
    /// or revision, who or what started it). A null <paramref name="end"/> is a window that runs to now.
    /// </summary>
    public async Task<IReadOnlyList<RecentChange>> SyncsAsync(string ns, DateTimeOffset start, DateTimeOffset? end, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var argo = _argo ?? throw new OpsException("ArgoCdServerNotSet", OpsErrorCategory.InvalidOperation, _argoUnavailable + ".", ns);
        var entries = await argo.DeploymentsAsync(ns, start, end, events, ct).ConfigureAwait(false);
        return entries.Select(e => new RecentChange
        {
            Time = (e.DeployedAt ?? e.DeployStartedAt)!.Value, Kind = RecentChangeKind.ArgoCdSync, Namespace = ns, Target = e.Application,
            Summary = $"sync #{e.Id} to {e.Tag ?? ArgoApplication.Short(e.Revision)}{(e.IsCurrent ? ", current" : "")}",
            By = e.Automated ? "automated sync" : e.InitiatedBy,
        }).ToList();
    }

    // ---------------------------------------------------------------- error lines

    [GeneratedRegex(@"\b(ERROR|FATAL|CRITICAL|PANIC|Exception)\b|\b[Ee]rror:")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b|\b[0-9a-f]{12,}\b")]
    private static partial Regex Ids();

    [GeneratedRegex(@"\d+(\.\d+)*")]
    private static partial Regex Numbers();

    /// <summary>A line with what varies between occurrences (ids, numbers, addresses) replaced: what groups lines into one error.</summary>
    public static string Normalize(string line) => Numbers().Replace(Ids().Replace(line.Trim(), "<id>"), "<n>");

    /// <summary>The error lines of each service's pods since <paramref name="since"/>, grouped by <see cref="Normalize"/>, the <paramref name="top"/> most frequent per service.</summary>
    public async Task<IReadOnlyList<ErrorLogGroup>> ErrorLinesAsync(string ns, IReadOnlyList<string> services, TimeSpan since, int top, CancellationToken ct)
    {
        var kube = _kube ?? throw new OpsException("KubeNotConfigured", OpsErrorCategory.InvalidOperation, "No Kubernetes cluster to read logs from.", ns);
        var groups = new List<ErrorLogGroup>();
        foreach (var service in services)
        {
            var lines = new List<PodLogLine>();
            var request = new PodLogRequest { Namespace = ns, Deployment = service, Since = since, Tail = 2000 };
            await foreach (var line in new PodLogReader(kube).ReadAsync(request, ct).ConfigureAwait(false))
                if (ErrorLine().IsMatch(line.Text)) lines.Add(line);
            groups.AddRange(lines.GroupBy(l => Normalize(l.Text)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(top).Select(g => new ErrorLogGroup
            {
                Namespace = ns, Service = service, Pattern = g.Key, Count = g.Count(), Example = g.Last().Text,
                Pods = g.Select(l => l.Pod).Distinct().Order(StringComparer.Ordinal).ToList(),
                FirstSeen = g.Min(l => l.Timestamp), LastSeen = g.Max(l => l.Timestamp),
            }));
        }
        return groups;
    }

    // ---------------------------------------------------------------- pressure

    /// <summary>
    /// Pods of the namespace (or of the services) against their requests, and every node against its capacity (Prometheus),
    /// with the nodes' state from the Kubernetes API when there is one; those under pressure first.
    /// </summary>
    public async Task<IReadOnlyList<ResourcePressure>> PressureAsync(string ns, IReadOnlyList<string>? services, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var sel = $"namespace={Quote(ns)}" + (services is { Count: > 0 } ? $",service=~{Quote(Alertmanager.AlertMatcher.AnyOf(services))}" : "");
        var cpu = await Vector($"100 * sum by (namespace, service, pod) (rate(container_cpu_usage_seconds_total{{{sel}}}[1m])) / sum by (namespace, service, pod) (kube_pod_container_resource_requests{{{sel},resource=\"cpu\"}})", events, ct).ConfigureAwait(false);
        var mem = await Vector($"100 * sum by (namespace, service, pod) (container_memory_working_set_bytes{{{sel}}}) / sum by (namespace, service, pod) (kube_pod_container_resource_requests{{{sel},resource=\"memory\"}})", events, ct).ConfigureAwait(false);
        var result = new List<ResourcePressure>();
        foreach (var pod in cpu.Keys.Union(mem.Keys).Order(StringComparer.Ordinal))
        {
            var c = cpu.TryGetValue(pod, out var cv) ? cv : default;
            var m = mem.TryGetValue(pod, out var mv) ? mv : default;
            var labels = c.Labels ?? m.Labels!;
            double? cpuPct = c.Labels is null ? null : Math.Round(c.Value, 1), memPct = m.Labels is null ? null : Math.Round(m.Value, 1);
            var reasons = new List<string>();
            if (cpuPct > PodPressurePercent) reasons.Add($"CPU at {cpuPct:0.#}% of its request");
            if (memPct > PodPressurePercent) reasons.Add($"memory at {memPct:0.#}% of its request");
            result.Add(new ResourcePressure
            {
                Scope = PressureScope.Pod, Name = pod, Namespace = labels.GetValueOrDefault("namespace"), Service = labels.GetValueOrDefault("service"),
                CpuPercent = cpuPct, MemoryPercent = memPct, UnderPressure = reasons.Count > 0, Reason = reasons.Count > 0 ? string.Join("; ", reasons) : null,
            });
        }

        var nodeCpu = await Vector("100 * (1 - avg by (node) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])))", events, ct, "node").ConfigureAwait(false);
        var nodeMem = await Vector("100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)", events, ct, "node").ConfigureAwait(false);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_kube is not null)
            await foreach (var n in new KubeQueries(_kube).ListNodesAsync(new KubeListRequest(), ct).ConfigureAwait(false)) states[n.Name] = n.Status;
        foreach (var node in nodeCpu.Keys.Union(nodeMem.Keys).Union(states.Keys).Order(StringComparer.Ordinal))
        {
            double? cpuPct = nodeCpu.TryGetValue(node, out var c) ? Math.Round(c.Value, 1) : null;
            double? memPct = nodeMem.TryGetValue(node, out var m) ? Math.Round(m.Value, 1) : null;
            var state = states.GetValueOrDefault(node);
            var reasons = new List<string>();
            if (cpuPct > NodePressurePercent) reasons.Add($"CPU at {cpuPct:0.#}%");
            if (memPct > NodePressurePercent) reasons.Add($"memory at {memPct:0.#}%");
            if (state is not null && !state.StartsWith("Ready", StringComparison.Ordinal)) reasons.Add(state);
            result.Add(new ResourcePressure
            {
                Scope = PressureScope.Node, Name = node, CpuPercent = cpuPct, MemoryPercent = memPct, Condition = state,
                UnderPressure = reasons.Count > 0, Reason = reasons.Count > 0 ? string.Join("; ", reasons) : null,
            });
        }
        return result.OrderByDescending(p => p.UnderPressure).ThenBy(p => p.Scope).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    private async Task<Dictionary<string, (IReadOnlyDictionary<string, string>? Labels, double Value)>> Vector(string expression, IProgress<OpsEvent>? events, CancellationToken ct, string key = "pod")
    {
        var result = await Prometheus.QueryAsync(new PromQuery { Expression = expression }, events, ct).ConfigureAwait(false);
        var map = new Dictionary<string, (IReadOnlyDictionary<string, string>?, double)>(StringComparer.Ordinal);
        foreach (var s in result.Samples)
            if (s.Label(key) is { } k && !double.IsNaN(s.Value) && !double.IsInfinity(s.Value)) map[k] = (s.Metric, s.Value);
        return map;
    }

    // ---------------------------------------------------------------- the action

    /// <summary>
    /// The runbook's "Take Action": a recent rollout of a spiked service → roll it back (Undo-Deployment); else pressure on the
    /// spiked services' pods or on nodes → scale; else the services spiked with no change or constraint in sight → an external
    /// dependency: check it and fall back. No spike → nothing to do.
    /// </summary>
    public static SuggestedAction Suggest(IReadOnlyList<ServiceSpike> spikes, IReadOnlyList<RecentChange> rollouts, IReadOnlyList<ResourcePressure> pressure, string alert)
    {
        if (spikes.Count == 0)
            return new SuggestedAction { Kind = SuggestedActionKind.None, Reason = $"No service went above the {alert} threshold in the window." };
        var services = spikes.Select(s => s.Service).ToHashSet(StringComparer.Ordinal);
        if (rollouts.FirstOrDefault(c => services.Contains(c.Target)) is { } change)
            return new SuggestedAction
            {
                Kind = SuggestedActionKind.RollBack,
                Reason = $"{change.Target} was rolled out ({change.Summary}) at {change.Time:u}, and it spiked since {spikes.First(s => s.Service == change.Target).Since:u}: roll back the recent change.",
                Command = $"Undo-Deployment {change.Target} -Namespace {change.Namespace} -Wait",
            };
        var pressed = pressure.Where(p => p.UnderPressure && (p.Scope == PressureScope.Node || (p.Service is { } s && services.Contains(s)))).ToList();
        if (pressed.Count > 0)
        {
            var pod = pressed.FirstOrDefault(p => p.Scope == PressureScope.Pod);
            var target = pod?.Service ?? spikes[0].Service;
            var ns = pod?.Namespace ?? spikes[0].Namespace;
            return new SuggestedAction
            {
                Kind = SuggestedActionKind.Scale,
                Reason = $"Resource constraint: {string.Join("; ", pressed.Take(3).Select(p => $"{p.Scope.ToString().ToLowerInvariant()} {p.Name}: {p.Reason}"))}. Scale out (or raise the requests).",
                Command = $"kubectl scale deployment/{target} -n {ns} --replicas=<more>",
            };
        }
        return new SuggestedAction
        {
            Kind = SuggestedActionKind.FallBack,
            Reason = $"{string.Join(", ", services)} spiked with no rollout in the window and no resource constraint: an external dependency is the likely cause; check it and implement the fallback.",
            Command = "Test-DbConnection; Get-PodLog -Deployment " + spikes[0].Service + " -Pattern ERROR",
        };
    }

    // ---------------------------------------------------------------- all of it

    /// <summary>Every piece, each failure a gap (reported as an item failure) rather than the end of the investigation; Prometheus' own failure ends it.</summary>
    public async Task<AlertInvestigation> InvestigateAsync(InvestigationRequest r, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var def = Definition(r.Alert);
        var openEnded = r.End is null;
        var end = r.End ?? _time.GetUtcNow();
        r = r with { End = end };
        var gaps = new List<string>();
        async Task<T> Piece<T>(string what, Func<Task<T>> read, T empty)
        {
            try { return await read().ConfigureAwait(false); }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                gaps.Add($"{what}: {ex.ErrorId}: {ex.Message}");
                events.Warning($"The investigation could not read {what} ({ex.ErrorId}): {ex.Message}");
                return empty;
            }
        }

        var spikes = await SpikesAsync(r, events, ct).ConfigureAwait(false);
        var affected = spikes.Select(s => s.Service).Distinct().ToList();
        events.Verbose(spikes.Count == 0 ? "No service spiked in the window." : $"Spiked: {string.Join(", ", spikes.Select(s => s.ToString()))}.");
        IReadOnlyList<RecentChange> none = Array.Empty<RecentChange>();
        var rollouts = _kube is null ? none : await Piece("rollouts", () => RolloutsAsync(r.Namespace, r.Start, openEnded ? null : end, r.Services, affected, ct), none).ConfigureAwait(false);
        if (_kube is null) gaps.Add("rollouts, error lines, node states: no Kubernetes cluster configured");
        var syncs = _argo is null ? none : await Piece("Argo CD syncs", () => SyncsAsync(r.Namespace, r.Start, openEnded ? null : end, events, ct), none).ConfigureAwait(false);
        var argoCd = _argo is null ? _argoUnavailable + "." : gaps.Any(g => g.StartsWith("Argo CD syncs", StringComparison.Ordinal))
            ? ArgoCdNotConfigured + "." : $"{syncs.Count} sync(s) into {r.Namespace} in the window.";
        var journal = r.JournalFile is null ? Array.Empty<JournalEntry>() : JournalEntries(r.JournalFile, r.Start, end);
        IReadOnlyList<ErrorLogGroup> noLines = Array.Empty<ErrorLogGroup>();
        var lines = _kube is null || affected.Count == 0 ? noLines
            : await Piece("error lines", () => ErrorLinesAsync(r.Namespace, affected, end - r.Start, r.TopErrors, ct), noLines).ConfigureAwait(false);
        IReadOnlyList<ResourcePressure> noPressure = Array.Empty<ResourcePressure>();
        var pressure = await Piece("pressure", () => PressureAsync(r.Namespace, r.Services, events, ct), noPressure).ConfigureAwait(false);

        var recent = rollouts.FirstOrDefault(c => c.AffectsSpikedService)
                     ?? rollouts.Concat(syncs).OrderByDescending(c => c.Time).FirstOrDefault()
                     ?? journal.Select(ChangeOf).FirstOrDefault();
        return new AlertInvestigation
        {
            Alert = r.Alert, Namespace = r.Namespace, Start = r.Start, End = end, Threshold = r.Threshold ?? def.Threshold, Unit = def.Unit,
            Spikes = spikes, Rollouts = rollouts, ArgoCdSyncs = syncs, ArgoCd = argoCd, JournalEntries = journal, ErrorLines = lines, Pressure = pressure,
            MostRecentChange = recent, Suggestion = Suggest(spikes, rollouts, pressure, r.Alert), Gaps = gaps,
        };
    }
}
