using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>
/// What <c>/_sandbox/monitoring/metrics</c> answers (text exposition 0.0.4), read from the live sandbox at each scrape: the
/// platform services' synthetic traffic (<see cref="PlatformTraffic"/>) on the pods the Kubernetes sandbox runs now, the
/// pods' restarts, requests and usage, the nodes (CPU seconds, memory, disk, cordoned or not), the real PostgreSQL's
/// pg_stat_activity and max_connections, the business counters and the LLM service's calls and tokens.
/// </summary>
public sealed class PlatformMetrics
{
    private readonly KubeStore _store;
    private readonly KubeTelemetry _telemetry;
    private readonly PlatformTraffic _traffic;
    private readonly string? _pgConnection;
    private readonly object _nodeGate = new();
    private readonly Dictionary<string, (long At, Dictionary<string, double> Seconds)> _nodeCpu = new(StringComparer.Ordinal);

    public PlatformMetrics(KubeStore store, PlatformTraffic traffic, string? postgresAdminConnection)
    {
        _store = store;
        _telemetry = new KubeTelemetry(store);
        _traffic = traffic;
        _pgConnection = postgresAdminConnection is null ? null : new NpgsqlConnectionStringBuilder(postgresAdminConnection)
        {
            // One short connection per scrape, as postgres_exporter's: nothing stays open once the sandbox stops.
            Pooling = false, Timeout = 2, CommandTimeout = 2, ApplicationName = "realestateops-sandbox-metrics",
        }.ConnectionString;
    }

    public PlatformTraffic Traffic => _traffic;

    /// <summary>The service a pod belongs to: its app label (the Deployment's name for the platform), else its controller's name.</summary>
    public static string ServiceOf(JsonObject pod)
    {
        var labels = KubeStore.Labels(pod);
        if (labels.TryGetValue("app", out var app)) return app;
        if (labels.TryGetValue("k8s-app", out var k8sApp)) return k8sApp;
        if (labels.TryGetValue("component", out var component)) return component;
        return (string?)KubeStore.ControllerOf(pod)?["name"] ?? "";
    }

    private sealed record PodSnapshot(string Namespace, string Service, string Pod, bool Running,
        List<(string Name, string Image, double CpuRequest, double MemoryRequest, double CpuNow, double MemoryNow, int Restarts)> Containers,
        string Version = "stable", double? Share = null);

    private sealed record NodeSnapshot(string Name, int Cpus, double MemoryTotal, double MemoryUsed, double DiskSize, bool Unschedulable, double CpuCoresUsed);

    /// <summary>One scrape at a time: the traffic's totals are read while nothing moves them.</summary>
    private readonly SemaphoreSlim _render = new(1, 1);

    public async Task<string> RenderAsync(CancellationToken ct)
    {
        await _render.WaitAsync(ct).ConfigureAwait(false);
        try { return await RenderOnceAsync(ct).ConfigureAwait(false); }
        finally { _render.Release(); }
    }

    private async Task<string> RenderOnceAsync(CancellationToken ct)
    {
        var (pods, nodes) = Snapshot();
        var traffic = _traffic.Advance(pods.Select(p => new PlatformTraffic.PodView(p.Namespace, p.Service, p.Pod,
            p.Containers.Select(c => (c.Name, c.Image, c.CpuNow / 1000)).ToList(), p.Running, p.Version, p.Share)).ToList());
        var text = new PrometheusText();
        WriteHttp(text, traffic);
        WritePods(text, pods, traffic);
        WriteNodes(text, nodes);
        await WritePostgresAsync(text, ct).ConfigureAwait(false);
        WriteBusiness(text);
        return text.ToString();
    }

    private (List<PodSnapshot> Pods, List<NodeSnapshot> Nodes) Snapshot()
    {
        var pods = new List<PodSnapshot>();
        var nodes = new List<NodeSnapshot>();
        static bool Running(JsonObject pod) => (string?)pod["status"]?["phase"] == "Running" && !KubeStore.IsTerminating(pod);
        lock (_store.Gate)
        {
            var shares = TrafficSplitRouting.Shares(_store, _store.Items(KubeResources.Pods).Where(p => (string?)p["spec"]?["nodeName"] is not null && Running(p)).ToList(), ServiceOf);
            foreach (var pod in _store.Items(KubeResources.Pods))
            {
                if ((string?)pod["spec"]?["nodeName"] is null) continue;
                var running = Running(pod);
                var statuses = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new();
                var containers = new List<(string, string, double, double, double, double, int)>();
                foreach (var c in (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
                {
                    var name = (string?)c["name"] ?? "";
                    var requests = c["resources"]?["requests"];
                    var usage = running ? _telemetry.ContainerUsage(pod, c) : (0, 0);
                    var restarts = statuses.FirstOrDefault(s => (string?)s["name"] == name) is { } status ? JsonNumbers.Int(status["restartCount"]) ?? 0 : 0;
                    containers.Add((name, (string?)c["image"] ?? "", KubeTelemetry.CpuMillicores((string?)requests?["cpu"]), KubeTelemetry.MemoryBytes((string?)requests?["memory"]),
                        usage.Item1, usage.Item2, restarts));
                }
                var version = KubeStore.Labels(pod).TryGetValue("version", out var v) && v.Length > 0 ? v : "stable";
                pods.Add(new PodSnapshot(KubeStore.NamespaceOf(pod) ?? "", ServiceOf(pod), KubeStore.NameOf(pod), running, containers, version,
                    shares.TryGetValue(TrafficSplitRouting.Key(pod), out var share) ? share : null));
            }
            foreach (var node in _store.Items(KubeResources.Nodes))
            {
                var capacity = node["status"]?["capacity"];
                var cpus = (int)Math.Max(1, Math.Round(KubeTelemetry.CpuMillicores((string?)capacity?["cpu"] ?? "2") / 1000));
                var usage = _telemetry.NodeUsage(node);
                nodes.Add(new NodeSnapshot(KubeStore.NameOf(node), cpus, KubeTelemetry.MemoryBytes((string?)capacity?["memory"] ?? "8Gi"), usage.Mem,
                    KubeTelemetry.MemoryBytes((string?)capacity?["ephemeral-storage"] ?? "80Gi"), (bool?)node["spec"]?["unschedulable"] == true, usage.Cpu / 1000));
            }
        }
        return (pods, nodes);
    }

    private static (string, string)[] PodLabels(PodTraffic t) => new[] { ("namespace", t.Namespace), ("service", t.Service), ("pod", t.Pod) };

    /// <summary>The HTTP series' labels: the pod's, and its version (canary or stable), which tells a canary's requests from stable's.</summary>
    private static (string, string)[] HttpLabels(PodTraffic t) => PodLabels(t).Append(("version", t.Version)).ToArray();

    private static void WriteHttp(PrometheusText text, IReadOnlyList<PodTraffic> traffic)
    {
        var served = traffic.Where(t => PlatformTraffic.IsPlatformService(t.Service) && t.Namespace == PlatformTraffic.Namespace).ToList();
        text.Family("http_requests_total", "counter", "HTTP requests served, by method and status code.");
        foreach (var t in served)
        {
            // Every pod reports its two everyday series from its start, so rates exist before anything fails.
            var series = new SortedDictionary<(string Method, string Code), long>(t.Requests);
            series.TryAdd(("GET", "200"), 0);
            series.TryAdd(("POST", "201"), 0);
            foreach (var ((method, code), count) in series)
                text.Sample("http_requests_total", count, HttpLabels(t).Concat(new[] { ("method", method), ("code", code) }).ToArray());
        }
        text.Family("http_request_duration_seconds", "histogram", "HTTP request latency.");
        foreach (var t in served)
        {
            for (var b = 0; b < PlatformTraffic.Buckets.Length; b++)
                text.Sample("http_request_duration_seconds_bucket", t.Buckets[b], HttpLabels(t).Append(("le", PrometheusText.Number(PlatformTraffic.Buckets[b]))).ToArray());
            text.Sample("http_request_duration_seconds_bucket", t.Count, HttpLabels(t).Append(("le", "+Inf")).ToArray());
            text.Sample("http_request_duration_seconds_sum", t.DurationSum, HttpLabels(t));
            text.Sample("http_request_duration_seconds_count", t.Count, HttpLabels(t));
        }
    }

    private static void WritePods(PrometheusText text, List<PodSnapshot> pods, IReadOnlyList<PodTraffic> traffic)
    {
        (string, string)[] Labels(PodSnapshot p, string container) => new[] { ("namespace", p.Namespace), ("service", p.Service), ("pod", p.Pod), ("container", container) };
        text.Family("kube_pod_container_status_restarts_total", "counter", "Restarts of the container.");
        foreach (var p in pods) foreach (var c in p.Containers) text.Sample("kube_pod_container_status_restarts_total", c.Restarts, Labels(p, c.Name));
        text.Family("kube_pod_container_resource_requests", "gauge", "Resources the container requests.");
        foreach (var p in pods)
            foreach (var c in p.Containers)
            {
                text.Sample("kube_pod_container_resource_requests", c.CpuRequest / 1000, Labels(p, c.Name).Concat(new[] { ("resource", "cpu"), ("unit", "core") }).ToArray());
                text.Sample("kube_pod_container_resource_requests", c.MemoryRequest, Labels(p, c.Name).Concat(new[] { ("resource", "memory"), ("unit", "byte") }).ToArray());
            }
        var byPod = traffic.ToDictionary(t => t.Namespace + "/" + t.Pod, StringComparer.Ordinal);
        text.Family("container_cpu_usage_seconds_total", "counter", "CPU time the container used.");
        foreach (var p in pods)
            if (byPod.TryGetValue(p.Namespace + "/" + p.Pod, out var t))
                foreach (var c in p.Containers) text.Sample("container_cpu_usage_seconds_total", Math.Round(t.CpuSeconds.GetValueOrDefault(c.Name), 6), Labels(p, c.Name));
        text.Family("container_memory_working_set_bytes", "gauge", "Memory the container uses now.");
        foreach (var p in pods.Where(p => p.Running)) foreach (var c in p.Containers) text.Sample("container_memory_working_set_bytes", Math.Round(c.MemoryNow), Labels(p, c.Name));
        text.Family("container_network_receive_bytes_total", "counter", "Bytes the pod received.");
        foreach (var t in traffic) text.Sample("container_network_receive_bytes_total", Math.Round(t.ReceiveBytes), PodLabels(t));
        text.Family("container_network_transmit_bytes_total", "counter", "Bytes the pod sent.");
        foreach (var t in traffic) text.Sample("container_network_transmit_bytes_total", Math.Round(t.TransmitBytes), PodLabels(t));
    }

    private void WriteNodes(PrometheusText text, List<NodeSnapshot> nodes)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var cpuSeconds = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        lock (_nodeGate)
        {
            foreach (var n in nodes)
            {
                if (!_nodeCpu.TryGetValue(n.Name, out var state))
                {
                    // A node that has been up for a while: its counters start where a month of uptime leaves them.
                    var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
                    for (var cpu = 0; cpu < n.Cpus; cpu++)
                        foreach (var (mode, share) in new[] { ("idle", 0.86), ("user", 0.09), ("system", 0.04), ("iowait", 0.01) })
                            seconds[$"{cpu}/{mode}"] = Math.Round(34 * 86400 * share, 2);
                    _nodeCpu[n.Name] = state = (now, seconds);
                }
                var elapsed = (now - state.At) / (double)System.Diagnostics.Stopwatch.Frequency;
                var busy = Math.Min(0.98, n.CpuCoresUsed / n.Cpus);
                for (var cpu = 0; cpu < n.Cpus; cpu++)
                {
                    state.Seconds[$"{cpu}/user"] += elapsed * busy * 0.7;
                    state.Seconds[$"{cpu}/system"] += elapsed * busy * 0.28;
                    state.Seconds[$"{cpu}/iowait"] += elapsed * 0.005;
                    state.Seconds[$"{cpu}/idle"] += elapsed * Math.Max(0, 1 - busy * 0.98 - 0.005);
                }
                _nodeCpu[n.Name] = (now, state.Seconds);
                cpuSeconds[n.Name] = new Dictionary<string, double>(state.Seconds);
            }
            foreach (var gone in _nodeCpu.Keys.Where(k => nodes.All(n => n.Name != k)).ToList()) _nodeCpu.Remove(gone);
        }
        text.Family("node_cpu_seconds_total", "counter", "Seconds the node's CPUs spent in each mode.");
        foreach (var n in nodes)
            foreach (var (key, seconds) in cpuSeconds[n.Name].OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                var parts = key.Split('/');
                text.Sample("node_cpu_seconds_total", Math.Round(seconds, 3), ("node", n.Name), ("cpu", parts[0]), ("mode", parts[1]));
            }
        text.Family("node_memory_MemTotal_bytes", "gauge", "The node's memory.");
        foreach (var n in nodes) text.Sample("node_memory_MemTotal_bytes", n.MemoryTotal, ("node", n.Name));
        text.Family("node_memory_MemAvailable_bytes", "gauge", "The node's memory available to new work.");
        foreach (var n in nodes) text.Sample("node_memory_MemAvailable_bytes", Math.Max(0, Math.Round(n.MemoryTotal - n.MemoryUsed - 0.08 * n.MemoryTotal)), ("node", n.Name));
        text.Family("node_filesystem_size_bytes", "gauge", "Size of the node's root filesystem.");
        foreach (var n in nodes) text.Sample("node_filesystem_size_bytes", n.DiskSize, ("node", n.Name), ("mountpoint", "/"));
        text.Family("node_filesystem_avail_bytes", "gauge", "Free space on the node's root filesystem.");
        foreach (var n in nodes)
        {
            var used = 0.35 + (Math.Abs(n.Name.GetHashCode(StringComparison.Ordinal)) % 20) / 100.0;
            text.Sample("node_filesystem_avail_bytes", Math.Round(n.DiskSize * (1 - used)), ("node", n.Name), ("mountpoint", "/"));
        }
        text.Family("kube_node_spec_unschedulable", "gauge", "Whether the node is cordoned (1) or takes new pods (0).");
        foreach (var n in nodes) text.Sample("kube_node_spec_unschedulable", n.Unschedulable ? 1 : 0, ("node", n.Name));
    }

    private async Task WritePostgresAsync(PrometheusText text, CancellationToken ct)
    {
        var rows = new List<(string Db, string State, long Count)>();
        long? max = null;
        if (_pgConnection is not null)
        {
            try
            {
                await using var conn = new NpgsqlConnection(_pgConnection);
                await conn.OpenAsync(ct).ConfigureAwait(false);
                await using (var cmd = new NpgsqlCommand(
                    "select coalesce(datname, ''), coalesce(state, 'unknown'), count(*) from pg_stat_activity where backend_type = 'client backend' group by 1, 2 order by 1, 2", conn))
                await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                    while (await reader.ReadAsync(ct).ConfigureAwait(false)) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                await using (var cmd = new NpgsqlCommand("select setting::bigint from pg_settings where name = 'max_connections'", conn))
                    max = (long?)await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                rows.Clear();
                max = null;
            }
        }
        text.Family("pg_up", "gauge", "Whether the platform database's server answered this scrape.");
        text.Sample("pg_up", max is null ? 0 : 1);
        if (max is null) return;
        text.Family("pg_stat_activity_count", "gauge", "Client connections by database and state (pg_stat_activity).");
        foreach (var (db, state, count) in rows) text.Sample("pg_stat_activity_count", count, ("datname", db), ("state", state));
        text.Family("pg_settings_max_connections", "gauge", "The server's max_connections.");
        text.Sample("pg_settings_max_connections", max.Value);
    }

    private void WriteBusiness(PrometheusText text)
    {
        var ns = PlatformTraffic.Namespace;
        text.Family("platform_active_users", "gauge", "Users active on the platform now.");
        text.Sample("platform_active_users", _traffic.ActiveUsers(DateTimeOffset.UtcNow), ("namespace", ns), ("service", "api-service"));
        text.Family("chatbot_conversations_total", "counter", "Chatbot conversations started.");
        text.Sample("chatbot_conversations_total", Math.Floor(_traffic.ChatbotConversations), ("namespace", ns), ("service", "chatbot-service"));
        text.Family("property_searches_total", "counter", "Property searches run.");
        text.Sample("property_searches_total", Math.Floor(_traffic.PropertySearches), ("namespace", ns), ("service", "api-service"));
        text.Family("proposals_generated_total", "counter", "Proposals generated.");
        text.Sample("proposals_generated_total", Math.Floor(_traffic.ProposalsGenerated), ("namespace", ns), ("service", "proposal-service"));
        text.Family("proposal_conversions_total", "counter", "Proposals that became a deal.");
        text.Sample("proposal_conversions_total", Math.Floor(_traffic.ProposalConversions), ("namespace", ns), ("service", "proposal-service"));
        text.Family("llm_requests_total", "counter", "Calls to language models, by model and outcome.");
        foreach (var ((model, status), count) in LlmSeries(_traffic.LlmRequests, "success", "error")) text.Sample("llm_requests_total", count, ("model", model), ("status", status));
        text.Family("llm_tokens_total", "counter", "Tokens sent to and received from language models.");
        foreach (var ((model, type), count) in LlmSeries(_traffic.LlmTokens, "prompt", "completion")) text.Sample("llm_tokens_total", Math.Round(count), ("model", model), ("type", type));
    }

    /// <summary>Every (model, kind) pair, zero until the first call, so that rates exist from the start.</summary>
    private static IEnumerable<((string, string), double)> LlmSeries<T>(SortedDictionary<(string, string), T> totals, params string[] kinds) where T : struct, IConvertible
    {
        foreach (var model in new[] { "gpt-4o", "gpt-4o-mini" })
            foreach (var kind in kinds)
                yield return ((model, kind), totals.TryGetValue((model, kind), out var v) ? v.ToDouble(CultureInfo.InvariantCulture) : 0);
    }
}
