using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>One API resource the emulation serves: where it lives (group/version), its kind and verbs.</summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Singular, string Kind, bool Namespaced, string[] Verbs, string[] ShortNames, bool Stored = true)
{
    public string GroupVersion => Group.Length == 0 ? Version : Group + "/" + Version;
    /// <summary>Key in the store: "pods", "apps/deployments".</summary>
    public string Key => Group.Length == 0 ? Plural : Group + "/" + Plural;
    public string ListKind => Kind + "List";
}

/// <summary>The resources served, and the discovery documents kubectl reads (legacy discovery: /api, /apis, per group-version lists).</summary>
public static class KubeResources
{
    private static readonly string[] All = { "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch" };
    private static readonly string[] ReadOnly = { "get", "list" };

    public static readonly KubeResource Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", false, new[] { "create", "delete", "get", "list", "patch", "update", "watch" }, new[] { "ns" });
    public static readonly KubeResource Nodes = new("", "v1", "nodes", "node", "Node", false, All, new[] { "no" });
    public static readonly KubeResource Pods = new("", "v1", "pods", "pod", "Pod", true, All, new[] { "po" });
    public static readonly KubeResource Services = new("", "v1", "services", "service", "Service", true, All, new[] { "svc" });
    public static readonly KubeResource Endpoints = new("", "v1", "endpoints", "endpoints", "Endpoints", true, All, new[] { "ep" });
    public static readonly KubeResource Secrets = new("", "v1", "secrets", "secret", "Secret", true, All, Array.Empty<string>());
    public static readonly KubeResource ConfigMaps = new("", "v1", "configmaps", "configmap", "ConfigMap", true, All, new[] { "cm" });
    public static readonly KubeResource Events = new("", "v1", "events", "event", "Event", true, All, new[] { "ev" });
    public static readonly KubeResource Deployments = new("apps", "v1", "deployments", "deployment", "Deployment", true, All, new[] { "deploy" });
    public static readonly KubeResource ReplicaSets = new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, All, new[] { "rs" });
    public static readonly KubeResource DaemonSets = new("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, All, new[] { "ds" });
    public static readonly KubeResource StatefulSets = new("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, All, new[] { "sts" });
    public static readonly KubeResource ControllerRevisions = new("apps", "v1", "controllerrevisions", "controllerrevision", "ControllerRevision", true, All, Array.Empty<string>());
    public static readonly KubeResource PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, All, new[] { "pdb" });
    /// <summary>prometheus-operator's alert and recording rules (validated, written to Prometheus' rule folder: Monitoring/PrometheusRuleController).</summary>
    public static readonly KubeResource PrometheusRules = new("monitoring.coreos.com", "v1", "prometheusrules", "prometheusrule", "PrometheusRule", true, All, new[] { "promrule" });
    /// <summary>SMI traffic splits, in the versions clusters serve (integer weights from v1alpha2 on): one store key, returned in the version asked for.</summary>
    public static readonly KubeResource TrafficSplitsV1Alpha2 = new("split.smi-spec.io", "v1alpha2", "trafficsplits", "trafficsplit", "TrafficSplit", true, All, new[] { "ts" });
    public static readonly KubeResource TrafficSplitsV1Alpha3 = TrafficSplitsV1Alpha2 with { Version = "v1alpha3" };
    public static readonly KubeResource TrafficSplits = TrafficSplitsV1Alpha2 with { Version = "v1alpha4" };
    public static readonly KubeResource NodeMetrics = new("metrics.k8s.io", "v1beta1", "nodes", "", "NodeMetrics", false, ReadOnly, Array.Empty<string>(), Stored: false);
    public static readonly KubeResource PodMetrics = new("metrics.k8s.io", "v1beta1", "pods", "", "PodMetrics", true, ReadOnly, Array.Empty<string>(), Stored: false);

    public static readonly IReadOnlyList<KubeResource> Served = new[]
    {
        Namespaces, Nodes, Pods, Services, Endpoints, Secrets, ConfigMaps, Events,
        Deployments, ReplicaSets, DaemonSets, StatefulSets, ControllerRevisions, PodDisruptionBudgets, NodeMetrics, PodMetrics, PrometheusRules,
        TrafficSplitsV1Alpha2, TrafficSplitsV1Alpha3, TrafficSplits,
    };

    public static readonly string[] Groups = { "apps", "policy", "metrics.k8s.io", "monitoring.coreos.com", "split.smi-spec.io" };

    public static KubeResource? Find(string group, string version, string plural) =>
        Served.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    public static KubeResource? ByKind(string kind) => Served.Where(r => r.Kind == kind && r.Stored).OrderBy(r => r.Version, VersionOrder).FirstOrDefault();

    /// <summary>Whether two resources are the same objects (one store key), whatever version each is served in.</summary>
    public static bool Same(KubeResource a, KubeResource b) => a.Key == b.Key;

    /// <summary>The object as <paramref name="r"/>'s version serves it: the same object, or a copy with that apiVersion when it was stored through another version.</summary>
    public static JsonObject InVersion(KubeResource r, JsonObject obj)
    {
        if ((string?)obj["apiVersion"] == r.GroupVersion) return obj;
        JsonObject copy;
        lock (obj) copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = r.GroupVersion;
        return copy;
    }

    /// <summary>Kubernetes' version priority, highest first: GA over beta over alpha, then the higher number (v1alpha4 before v1alpha2).</summary>
    public static readonly IComparer<string> VersionOrder = Comparer<string>.Create((a, b) => Rank(b).CompareTo(Rank(a)));

    private static (int Stage, int Major, int Minor) Rank(string version)
    {
        var m = System.Text.RegularExpressions.Regex.Match(version, @"^v(\d+)(?:(alpha|beta)(\d+))?$");
        if (!m.Success) return (-1, 0, 0);
        var stage = m.Groups[2].Value switch { "alpha" => 0, "beta" => 1, _ => 2 };
        return (stage, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            m.Groups[3].Success ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(Groups.Select(g => (JsonNode)Group(g)).ToArray()),
    };

    public static JsonObject Group(string group)
    {
        // Every version the group is served in, preferred (the newest) first, as the API server lists them.
        var versions = Served.Where(r => r.Group == group).Select(r => r.Version).Distinct().OrderBy(v => v, VersionOrder).ToList();
        JsonObject Gv(string version) => new() { ["groupVersion"] = group + "/" + version, ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup", ["apiVersion"] = "v1", ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Gv(v)).ToArray()), ["preferredVersion"] = Gv(versions[0]),
        };
    }

    public static JsonObject ResourceList(string group, string version)
    {
        var list = new JsonArray();
        foreach (var r in Served.Where(r => r.Group == group && r.Version == version))
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural, ["singularName"] = r.Singular, ["namespaced"] = r.Namespaced, ["kind"] = r.Kind,
                ["verbs"] = new JsonArray(r.Verbs.Select(v => (JsonNode)v!).ToArray()),
            };
            if (r.ShortNames.Length > 0) entry["shortNames"] = new JsonArray(r.ShortNames.Select(v => (JsonNode)v!).ToArray());
            if (r == Pods || r == Services || r == Deployments || r == ReplicaSets || r == DaemonSets || r == StatefulSets)
                entry["categories"] = new JsonArray("all");
            list.Add(entry);
            foreach (var sub in Subresources(r)) list.Add(sub);
        }
        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = group.Length == 0 ? version : group + "/" + version, ["resources"] = list };
    }

    private static IEnumerable<JsonObject> Subresources(KubeResource r)
    {
        JsonObject Sub(string name, string kind, string[] verbs, string? group = null, string? version = null)
        {
            var o = new JsonObject { ["name"] = name, ["singularName"] = "", ["namespaced"] = r.Namespaced, ["kind"] = kind, ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v!).ToArray()) };
            if (group is not null) { o["group"] = group; o["version"] = version; }
            return o;
        }
        if (r == Pods)
        {
            yield return Sub("pods/log", "Pod", new[] { "get" });
            yield return Sub("pods/eviction", "Eviction", new[] { "create" }, "policy", "v1");
            yield return Sub("pods/status", "Pod", new[] { "get", "patch", "update" });
        }
        if (r == Nodes) yield return Sub("nodes/status", "Node", new[] { "get", "patch", "update" });
        if (r == Deployments || r == ReplicaSets || r == StatefulSets)
        {
            yield return Sub(r.Plural + "/status", r.Kind, new[] { "get", "patch", "update" });
            yield return Sub(r.Plural + "/scale", "Scale", new[] { "get", "patch", "update" }, "autoscaling", "v1");
        }
        if (r == DaemonSets || r == PodDisruptionBudgets) yield return Sub(r.Plural + "/status", r.Kind, new[] { "get", "patch", "update" });
    }

    /// <summary>The OpenAPI v3 index kubectl reads to learn that the server validates fields itself (fieldValidation).</summary>
    public static JsonObject OpenApiRoot()
    {
        var paths = new JsonObject();
        foreach (var gv in Served.Select(r => (r.Group, r.Version)).Distinct())
        {
            var key = gv.Group.Length == 0 ? "api/" + gv.Version : $"apis/{gv.Group}/{gv.Version}";
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash=5A7D{Math.Abs(key.GetHashCode(StringComparison.Ordinal)):X8}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>A group-version's OpenAPI v3 document: its operations with their group-version-kind and the fieldValidation parameter.</summary>
    public static JsonObject OpenApi(string group, string version)
    {
        var paths = new JsonObject();
        foreach (var r in Served.Where(r => r.Group == group && r.Version == version))
        {
            var prefix = group.Length == 0 ? "/api/" + version : $"/apis/{group}/{version}";
            var collection = prefix + (r.Namespaced ? "/namespaces/{namespace}/" : "/") + r.Plural;
            JsonObject Op(string id) => new()
            {
                ["operationId"] = id + r.Kind,
                ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = r.Kind },
                ["parameters"] = new JsonArray(
                    new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                    new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            };
            if (!r.Stored) continue;
            paths[collection] = new JsonObject { ["post"] = Op("create") };
            paths[collection + "/{name}"] = new JsonObject { ["put"] = Op("replace"), ["patch"] = Op("patch") };
        }
        return new JsonObject { ["openapi"] = "3.0.0", ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.3" }, ["paths"] = paths, ["components"] = new JsonObject { ["schemas"] = new JsonObject() } };
    }
}
