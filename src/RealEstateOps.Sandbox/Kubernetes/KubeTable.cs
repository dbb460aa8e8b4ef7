using System.Globalization;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// Server-side printing: the meta.k8s.io/v1 Table that kubectl get asks for (Accept: ...;as=Table), with the
/// columns the API server prints for pods, deployments, services and nodes (NAME and AGE for the others).
/// </summary>
public static class KubeTable
{
    public static bool Wanted(string? accept) => accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    private static JsonObject Column(string name, string type = "string", int priority = 0, string format = "") =>
        new() { ["name"] = name, ["type"] = type, ["format"] = format, ["description"] = name, ["priority"] = priority };

    /// <summary>A table of <paramref name="items"/>; a watch's events after its first leave the column definitions out, as an API server does.</summary>
    public static JsonObject Build(KubeResource r, IEnumerable<JsonObject> items, DateTimeOffset now, string resourceVersion, string? continueToken, bool withColumns = true)
    {
        var (columns, cells) = Columns(r, now);
        var rows = new JsonArray();
        foreach (var item in items)
            rows.Add(new JsonObject
            {
                ["cells"] = new JsonArray(cells(item).ToArray()),
                ["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = KubeStore.Meta(item).DeepClone() },
            });
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null) meta["continue"] = continueToken;
        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = meta };
        if (withColumns) table["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)c).ToArray());
        table["rows"] = rows;
        return table;
    }

    private static (JsonObject[] Columns, Func<JsonObject, IEnumerable<JsonNode?>> Cells) Columns(KubeResource r, DateTimeOffset now)
    {
        string Age(JsonObject o) => Duration(now - DateTimeOffset.Parse((string?)KubeStore.Meta(o)["creationTimestamp"] ?? KubeStore.Timestamp(now), CultureInfo.InvariantCulture));
        if (r == KubeResources.Pods)
            return (new[] { Column("Name", format: "name"), Column("Ready"), Column("Status"), Column("Restarts"), Column("Age"), Column("IP", priority: 1), Column("Node", priority: 1), Column("Nominated Node", priority: 1), Column("Readiness Gates", priority: 1) },
                p =>
                {
                    var statuses = (p["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new();
                    var total = (p["spec"]?["containers"] as JsonArray)?.Count ?? 0;
                    var status = KubeStore.IsTerminating(p) ? "Terminating" : (string?)p["status"]?["phase"] ?? "Pending";
                    foreach (var s in statuses) if ((string?)s["state"]?["waiting"]?["reason"] is { } w) status = w;
                    return new JsonNode?[]
                    {
                        KubeStore.NameOf(p), $"{statuses.Count(s => (bool?)s["ready"] == true)}/{total}", status,
                        statuses.Sum(s => JsonNumbers.Int(s["restartCount"]) ?? 0).ToString(CultureInfo.InvariantCulture), Age(p),
                        (string?)p["status"]?["podIP"] ?? "<none>", (string?)p["spec"]?["nodeName"] ?? "<none>", "<none>", "<none>",
                    };
                });
        if (r == KubeResources.Deployments)
            return (new[] { Column("Name", format: "name"), Column("Ready"), Column("Up-to-date", "integer"), Column("Available", "integer"), Column("Age"), Column("Containers", priority: 1), Column("Images", priority: 1), Column("Selector", priority: 1) },
                d => new JsonNode?[]
                {
                    KubeStore.NameOf(d), $"{JsonNumbers.Int(d["status"]?["readyReplicas"]) ?? 0}/{JsonNumbers.Int(d["spec"]?["replicas"]) ?? 1}", JsonNumbers.Int(d["status"]?["updatedReplicas"]) ?? 0,
                    JsonNumbers.Int(d["status"]?["availableReplicas"]) ?? 0, Age(d),
                    string.Join(',', (d["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.Select(c => (string?)c?["name"]) ?? Array.Empty<string?>()),
                    string.Join(',', (d["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.Select(c => (string?)c?["image"]) ?? Array.Empty<string?>()),
                    string.Join(',', (d["spec"]?["selector"]?["matchLabels"] as JsonObject)?.Select(kv => kv.Key + "=" + (string?)kv.Value) ?? Array.Empty<string>()),
                });
        if (r == KubeResources.Services)
            return (new[] { Column("Name", format: "name"), Column("Type"), Column("Cluster-IP"), Column("External-IP"), Column("Port(s)"), Column("Age"), Column("Selector", priority: 1) },
                s => new JsonNode?[]
                {
                    KubeStore.NameOf(s), (string?)s["spec"]?["type"] ?? "ClusterIP", (string?)s["spec"]?["clusterIP"] ?? "<none>", "<none>",
                    string.Join(',', (s["spec"]?["ports"] as JsonArray)?.Select(p => $"{JsonNumbers.Int(p?["port"])}/{(string?)p?["protocol"] ?? "TCP"}") ?? Array.Empty<string>()), Age(s),
                    string.Join(',', (s["spec"]?["selector"] as JsonObject)?.Select(kv => kv.Key + "=" + (string?)kv.Value) ?? Array.Empty<string>()),
                });
        if (r == KubeResources.Nodes)
            return (new[] { Column("Name", format: "name"), Column("Status"), Column("Roles"), Column("Age"), Column("Version"), Column("Internal-IP", priority: 1) },
                n =>
                {
                    var ready = (n["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;
                    return new JsonNode?[]
                    {
                        KubeStore.NameOf(n), (ready ? "Ready" : "NotReady") + ((bool?)n["spec"]?["unschedulable"] == true ? ",SchedulingDisabled" : ""), "<none>", Age(n),
                        (string?)n["status"]?["nodeInfo"]?["kubeletVersion"] ?? "", (string?)(n["status"]?["addresses"] as JsonArray)?.FirstOrDefault(a => (string?)a?["type"] == "InternalIP")?["address"] ?? "<none>",
                    };
                });
        return (new[] { Column("Name", format: "name"), Column("Age") }, o => new JsonNode?[] { KubeStore.NameOf(o), Age(o) });
    }

    /// <summary>kubectl's short human durations: 45s, 5m12s, 26h, 34d.</summary>
    public static string Duration(TimeSpan d)
    {
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        if (d.TotalSeconds < 120) return $"{(int)d.TotalSeconds}s";
        if (d.TotalMinutes < 10) return $"{(int)d.TotalMinutes}m{d.Seconds}s";
        if (d.TotalHours < 3) return $"{(int)d.TotalMinutes}m";
        if (d.TotalHours < 8) return $"{(int)d.TotalHours}h{d.Minutes}m";
        if (d.TotalHours < 48) return $"{(int)d.TotalHours}h";
        if (d.TotalDays < 8) return $"{(int)d.TotalDays}d{d.Hours}h";
        return $"{(int)d.TotalDays}d";
    }
}
