using System.Globalization;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// The Monitoring runbook's system metrics per platform service, from Prometheus: one instant query per measure, each
/// grouped <c>by (namespace, service)</c> (never one query per service), then a verdict per service:
/// Unhealthy when its error rate is above the threshold (or it has requests but no pod), Degraded when its p95 latency is
/// above the threshold, it restarted often in the last hour or its memory is near its request, NoData without any series,
/// else Healthy.
/// </summary>
public sealed class ServiceHealthReader
{
    private readonly PromQueries _queries;
    private readonly TimeProvider _time;

    public ServiceHealthReader(PromQueries queries, TimeProvider? time = null)
    {
        _queries = queries;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The queries run, by measure, for a request (shown in verbose output and the help).</summary>
    public static IReadOnlyDictionary<string, string> Queries(ServiceHealthRequest request)
    {
        var sel = Selector(request, null);
        var errors = Selector(request, "code=~\"5..\"");
        var cpuRequests = Selector(request, "resource=\"cpu\"");
        var memRequests = Selector(request, "resource=\"memory\"");
        var w = PromQL.Duration(request.Window);
        const string by = "by (namespace, service)";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["requests"] = $"sum {by} (rate(http_requests_total{sel}[{w}]))",
            ["errors"] = $"sum {by} (rate(http_requests_total{errors}[{w}]))",
            ["p50"] = $"histogram_quantile(0.5, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{sel}[{w}])))",
            ["p95"] = $"histogram_quantile(0.95, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{sel}[{w}])))",
            ["restarts"] = $"sum {by} (increase(kube_pod_container_status_restarts_total{sel}[1h]))",
            ["cpu"] = $"sum {by} (rate(container_cpu_usage_seconds_total{sel}[{w}]))",
            ["cpuRequests"] = $"sum {by} (kube_pod_container_resource_requests{cpuRequests})",
            ["memory"] = $"sum {by} (container_memory_working_set_bytes{sel})",
            ["memoryRequests"] = $"sum {by} (kube_pod_container_resource_requests{memRequests})",
            ["pods"] = $"count {by} (sum by (namespace, service, pod) (kube_pod_container_resource_requests{sel}))",
        };
    }

    private static string Selector(ServiceHealthRequest request, string? extra)
    {
        var parts = new[]
        {
            request.Namespace is { Length: > 0 } ns ? $"namespace={PromQL.Quote(ns)}" : null,
            PromQL.Matcher("service", request.Services),
            extra,
        }.OfType<string>().ToList();
        return parts.Count == 0 ? "" : "{" + string.Join(", ", parts) + "}";
    }

    public async Task<IReadOnlyList<ServiceHealth>> ReadAsync(ServiceHealthRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (request.Window < TimeSpan.FromSeconds(1))
            throw new OpsException("PromWindowInvalid", OpsErrorCategory.InvalidArgument, "The window must be at least 1 second.", request.Window);
        var at = request.At ?? _time.GetUtcNow();
        var queries = Queries(request);
        // One query per measure, all at the same instant, side by side.
        var tasks = queries.ToDictionary(q => q.Key, q => ByServiceAsync(q.Value, at, events, ct));
        await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        var m = tasks.ToDictionary(t => t.Key, t => t.Value.Result);

        var keys = new SortedSet<(string Namespace, string Service)>(m.Values.SelectMany(v => v.Keys));
        if (request.Services is { Count: > 0 } asked)
        {
            keys.RemoveWhere(k => !asked.Contains(k.Service, StringComparer.OrdinalIgnoreCase));
            foreach (var s in asked.Where(s => !keys.Any(k => k.Service.Equals(s, StringComparison.OrdinalIgnoreCase))))
                keys.Add((request.Namespace ?? "", s));
        }
        if (keys.Count == 0) events.Warning($"Prometheus has no service metrics{(request.Namespace is null ? "" : $" in namespace '{request.Namespace}'")}.");
        return keys.Select(k => Assess(k, m, request, at)).ToList();
    }

    private async Task<Dictionary<(string, string), double>> ByServiceAsync(string query, DateTimeOffset at, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var result = await _queries.QueryAsync(new PromQuery { Expression = query, At = at }, events, ct).ConfigureAwait(false);
        var map = new Dictionary<(string, string), double>();
        foreach (var s in result.Samples)
            if (s.Label("service") is { } service) map[(s.Label("namespace") ?? "", service)] = s.Value;
        return map;
    }

    private static ServiceHealth Assess((string Namespace, string Service) key, Dictionary<string, Dictionary<(string, string), double>> m, ServiceHealthRequest r, DateTimeOffset at)
    {
        double? Get(string measure) => m[measure].TryGetValue(key, out var v) && !double.IsNaN(v) ? v : null;
        bool Has(string measure) => m[measure].ContainsKey(key);
        var requests = Get("requests");
        var errors = Get("errors") ?? (Has("requests") ? 0 : null);
        double? errorPercent = requests is > 0 ? 100 * (errors ?? 0) / requests.Value : null;
        var p50 = Get("p50") is { } a && double.IsFinite(a) ? a * 1000 : (double?)null;
        var p95Raw = Get("p95");
        var p95 = p95Raw is { } b ? (double.IsPositiveInfinity(b) ? double.PositiveInfinity : b * 1000) : (double?)null;
        var cpu = Get("cpu");
        var cpuReq = Get("cpuRequests");
        var mem = Get("memory");
        var memReq = Get("memoryRequests");
        var pods = Get("pods") is { } p ? (int)Math.Round(p) : (int?)null;
        var restarts = Get("restarts") is { } re ? Math.Round(re, 1) : (double?)null;

        var reasons = new List<string>();
        var verdict = ServiceHealthVerdict.Healthy;
        void Mark(ServiceHealthVerdict v, string reason)
        {
            reasons.Add(reason);
            if (v > verdict) verdict = v;
        }
        var inv = CultureInfo.InvariantCulture;
        if (m.Values.All(v => !v.ContainsKey(key)))
        {
            verdict = ServiceHealthVerdict.NoData;
            reasons.Add("Prometheus has no series for this service");
        }
        else
        {
            if (errorPercent is { } e && e > r.ErrorRateThresholdPercent)
                Mark(ServiceHealthVerdict.Unhealthy, string.Format(inv, "error rate {0:0.##}% is above {1:0.##}%", e, r.ErrorRateThresholdPercent));
            if (requests is > 0 && pods is null or 0 && m["pods"].Count > 0) // pod metrics exist, none for it
                Mark(ServiceHealthVerdict.Unhealthy, "no pod is running");
            if (p95 is { } l && l > r.LatencyP95ThresholdMs)
                Mark(ServiceHealthVerdict.Degraded, double.IsPositiveInfinity(l)
                    ? string.Format(inv, "p95 latency is above the largest bucket (over {0:0} ms)", r.LatencyP95ThresholdMs)
                    : string.Format(inv, "p95 latency {0:0} ms is above {1:0} ms", l, r.LatencyP95ThresholdMs));
            if (restarts is { } rs && rs >= r.RestartThreshold)
                Mark(ServiceHealthVerdict.Degraded, string.Format(inv, "{0:0} restarts in the last hour", rs));
            if (mem is { } used && memReq is > 0 && 100 * used / memReq.Value >= r.MemoryThresholdPercent)
                Mark(ServiceHealthVerdict.Degraded, string.Format(inv, "memory at {0:0}% of its request", 100 * used / memReq.Value));
            if (requests is null or 0 && verdict == ServiceHealthVerdict.Healthy) reasons.Add("no requests in the window");
        }
        return new ServiceHealth
        {
            Namespace = key.Namespace,
            Service = key.Service,
            Verdict = verdict,
            Reasons = reasons,
            RequestRate = requests,
            ErrorRatePercent = errorPercent,
            LatencyP50Ms = p50,
            LatencyP95Ms = p95,
            Restarts = restarts,
            CpuCores = cpu,
            CpuRequestedCores = cpuReq,
            CpuPercentOfRequest = cpu is { } c && cpuReq is > 0 ? 100 * c / cpuReq.Value : null,
            MemoryBytes = mem,
            MemoryRequestedBytes = memReq,
            MemoryPercentOfRequest = mem is { } mm && memReq is > 0 ? 100 * mm / memReq.Value : null,
            Pods = pods,
            Window = r.Window,
            ErrorRateThresholdPercent = r.ErrorRateThresholdPercent,
            LatencyP95ThresholdMs = r.LatencyP95ThresholdMs,
            At = at,
        };
    }
}
