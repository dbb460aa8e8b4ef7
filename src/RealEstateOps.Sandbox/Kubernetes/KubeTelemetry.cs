using System.Globalization;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>metrics.k8s.io usage (as metrics-server reports it) and container logs, both derived from the pods and the clock.</summary>
public sealed class KubeTelemetry
{
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(2);
    private readonly KubeStore _store;

    public KubeTelemetry(KubeStore store) => _store = store;

    public static double CpuMillicores(string? q)
    {
        if (string.IsNullOrEmpty(q)) return 0;
        if (q.EndsWith('m')) return double.Parse(q[..^1], CultureInfo.InvariantCulture);
        if (q.EndsWith('n')) return double.Parse(q[..^1], CultureInfo.InvariantCulture) / 1_000_000;
        return double.Parse(q, CultureInfo.InvariantCulture) * 1000;
    }

    public static double MemoryBytes(string? q)
    {
        if (string.IsNullOrEmpty(q)) return 0;
        foreach (var (suffix, factor) in new[] { ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("K", 1000d), ("M", 1e6), ("G", 1e9) })
            if (q.EndsWith(suffix, StringComparison.Ordinal)) return double.Parse(q[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
        return double.Parse(q, CultureInfo.InvariantCulture);
    }

    private double Wave(string key, double amplitude)
    {
        var phase = Math.Abs(key.GetHashCode(StringComparison.Ordinal)) % 360 * Math.PI / 180;
        var t = _store.Clock.UtcNow.ToUnixTimeSeconds() / 120.0;
        return 1 + amplitude * Math.Sin(t + phase);
    }

    /// <summary>A container's CPU (millicores) and memory (bytes) now, as metrics-server would report them.</summary>
    internal (double Cpu, double Mem) ContainerUsage(JsonObject pod, JsonObject container)
    {
        var req = container["resources"]?["requests"];
        var key = KubeStore.NameOf(pod) + "/" + (string?)container["name"];
        return (CpuMillicores((string?)req?["cpu"] ?? "50m") * 0.9 * Wave(key, 0.35), MemoryBytes((string?)req?["memory"] ?? "64Mi") * 1.1 * Wave(key + "m", 0.1));
    }

    private static bool Running(JsonObject pod) => (string?)pod["status"]?["phase"] == "Running" && !KubeStore.IsTerminating(pod);

    private JsonObject Usage(double cpu, double mem) => new() { ["cpu"] = $"{(long)(cpu * 1_000_000)}n", ["memory"] = $"{(long)(mem / 1024)}Ki" };

    public JsonObject PodMetrics(JsonObject pod) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = KubeStore.NameOf(pod), ["namespace"] = KubeStore.NamespaceOf(pod), ["labels"] = KubeStore.Meta(pod)["labels"]?.DeepClone(), ["creationTimestamp"] = _store.Now },
        ["timestamp"] = KubeStore.Timestamp(_store.Clock.UtcNow - TimeSpan.FromSeconds(10)), ["window"] = "10.5s",
        ["containers"] = new JsonArray(((pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
            .Select(c => { var u = ContainerUsage(pod, c); return (JsonNode)new JsonObject { ["name"] = c["name"]?.DeepClone(), ["usage"] = Usage(u.Cpu, u.Mem) }; }).ToArray()),
    };

    public IEnumerable<JsonObject> PodMetricsList(string? ns)
    {
        lock (_store.Gate) return _store.Items(KubeResources.Pods, ns).Where(Running).Select(PodMetrics).ToList();
    }

    /// <summary>A node's CPU (millicores) and memory (bytes) in use now: the system's own plus its running pods'. Call under the store's lock.</summary>
    internal (double Cpu, double Mem) NodeUsage(JsonObject node)
    {
        var name = KubeStore.NameOf(node);
        double cpu = 180 * Wave(name, 0.2), mem = 900d * 1024 * 1024 * Wave(name + "m", 0.05);
        foreach (var pod in _store.Items(KubeResources.Pods).Where(p => (string?)p["spec"]?["nodeName"] == name && Running(p)))
            foreach (var c in (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
            { var u = ContainerUsage(pod, c); cpu += u.Cpu; mem += u.Mem; }
        return (cpu, mem);
    }

    public JsonObject NodeMetrics(JsonObject node)
    {
        var name = KubeStore.NameOf(node);
        var (cpu, mem) = NodeUsage(node);
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = KubeStore.Meta(node)["labels"]?.DeepClone(), ["creationTimestamp"] = _store.Now },
            ["timestamp"] = KubeStore.Timestamp(_store.Clock.UtcNow - TimeSpan.FromSeconds(10)), ["window"] = "20.05s", ["usage"] = Usage(cpu, mem),
        };
    }

    public IEnumerable<JsonObject> NodeMetricsList()
    {
        lock (_store.Gate) return _store.Items(KubeResources.Nodes).Select(NodeMetrics).ToList();
    }

    // ------------------------------------------------------------------ logs

    private static readonly string[] InfoLines =
    {
        "INFO  GET /api/properties?city=austin&beds=3 200 {0}ms",
        "INFO  GET /health 200 1ms",
        "INFO  POST /api/chat/sessions 201 {0}ms",
        "INFO  GET /api/listings/{1} 200 {0}ms",
        "INFO  POST /api/proposals 201 {0}ms",
        "WARN  slow query on property_embeddings took {0}0ms",
        "INFO  cache hit ratio 0.{1}",
        "ERROR upstream llm-service timed out after 30000ms (request {1})",
    };

    private static readonly string[] CrashLines =
    {
        "INFO  starting worker (pid 1)",
        "ERROR could not connect to database at real-estate-ai-db:5432: connection refused",
        "FATAL exiting: database unavailable",
    };

    public sealed record LogLine(DateTimeOffset Time, string Text);

    /// <summary>The container's log lines from its start up to now (the last 2,000 at most), or the previous instance's.</summary>
    public List<LogLine> Lines(JsonObject pod, string container, bool previous)
    {
        var status = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == container);
        var broken = ((string?)status?["image"] ?? "").Contains(":broken", StringComparison.Ordinal);
        var restarts = JsonNumbers.Int(status?["restartCount"]) ?? 0;
        if (previous)
        {
            if (restarts == 0 || status?["lastState"]?["terminated"] is null)
                throw KubeApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{KubeStore.NameOf(pod)}\" not found");
            var ended = DateTimeOffset.Parse((string)status["lastState"]!["terminated"]!["finishedAt"]!, CultureInfo.InvariantCulture);
            return CrashLines.Select((l, i) => new LogLine(ended - TimeSpan.FromSeconds(CrashLines.Length - i), l)).ToList();
        }
        var started = (string?)status?["state"]?["running"]?["startedAt"] ?? (string?)pod["status"]?["startTime"];
        if (status is null || (started is null && !broken)) return new List<LogLine>();
        if (broken)
        {
            var since = DateTimeOffset.Parse((string?)pod["metadata"]?["creationTimestamp"] ?? _store.Now, CultureInfo.InvariantCulture) + TimeSpan.FromSeconds(restarts * 10);
            return CrashLines.Take(2).Select((l, i) => new LogLine(since + TimeSpan.FromSeconds(i), l)).ToList();
        }
        var start = DateTimeOffset.Parse(started!, CultureInfo.InvariantCulture);
        var now = _store.Clock.UtcNow;
        var total = (long)((now - start) / LogInterval);
        var first = Math.Max(0, total - 2000);
        var lines = new List<LogLine>();
        var seed = Math.Abs((KubeStore.NameOf(pod) + container).GetHashCode(StringComparison.Ordinal));
        for (var i = first; i <= total; i++)
        {
            var pick = (int)((seed + i * 7919) % InfoLines.Length);
            if (pick == InfoLines.Length - 1 && (seed + i) % 5 != 0) pick = 1;
            lines.Add(new LogLine(start + LogInterval * i, string.Format(CultureInfo.InvariantCulture, InfoLines[pick], (seed + i * 31) % 180 + 3, (seed + i * 13) % 9000 + 1000)));
        }
        return lines;
    }

    public static string Format(LogLine line, bool timestamps) =>
        (timestamps ? line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + " " : "") + line.Text + "\n";
}
