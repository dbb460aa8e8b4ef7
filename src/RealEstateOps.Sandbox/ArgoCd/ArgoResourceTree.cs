using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>
/// The application's resource tree (ApplicationTree: the managed objects and what they own, ReplicaSets under Deployments, Pods
/// under ReplicaSets, Endpoints under Services, each with its health) and its managed resources (ManagedResourcesResponse: the
/// desired and live state of each managed object), from the Kubernetes sandbox's live objects.
/// </summary>
public static class ArgoResourceTree
{
    public static JsonObject Of(ArgoApplication app, ArgoCdStore store, KubeStore kube)
    {
        JsonArray managed;
        lock (store.Gate) managed = (JsonArray)app.Resources.DeepClone();
        var nodes = new JsonArray();
        lock (kube.Gate)
        {
            foreach (var m in managed.OfType<JsonObject>())
            {
                var r = KubeResources.ByKind((string?)m["kind"] ?? "");
                if (r is null) continue;
                var live = kube.Get(r, r.Namespaced ? (string?)m["namespace"] : null, (string?)m["name"] ?? "");
                if (live is null) continue;
                nodes.Add(Node(live, null));
                if (r == KubeResources.Deployments)
                    foreach (var rs in Owned(kube, KubeResources.ReplicaSets, live))
                    {
                        nodes.Add(Node(rs, live));
                        foreach (var pod in Owned(kube, KubeResources.Pods, rs)) nodes.Add(Node(pod, rs));
                    }
                if (r == KubeResources.Services && kube.Get(KubeResources.Endpoints, KubeStore.NamespaceOf(live), KubeStore.NameOf(live)) is { } endpoints)
                    nodes.Add(Node(endpoints, live));
            }
        }
        return new JsonObject { ["nodes"] = nodes };
    }

    private static IEnumerable<JsonObject> Owned(KubeStore kube, KubeResource r, JsonObject owner)
    {
        var uid = KubeStore.UidOf(owner);
        return kube.Items(r, KubeStore.NamespaceOf(owner)).Where(o => KubeStore.ControllerOf(o) is { } c && (string?)c["uid"] == uid).ToList();
    }

    private static JsonObject Node(JsonObject live, JsonObject? parent)
    {
        var (group, version, kind, name) = ArgoSyncController.Identity(live);
        var node = new JsonObject();
        if (group.Length > 0) node["group"] = group;
        node["version"] = version;
        node["kind"] = kind;
        if (KubeStore.NamespaceOf(live) is { } ns) node["namespace"] = ns;
        node["name"] = name;
        node["uid"] = KubeStore.UidOf(live);
        if (parent is not null)
        {
            var (pg, _, pk, pn) = ArgoSyncController.Identity(parent);
            var reference = new JsonObject();
            if (pg.Length > 0) reference["group"] = pg;
            reference["kind"] = pk; reference["namespace"] = KubeStore.NamespaceOf(parent); reference["name"] = pn; reference["uid"] = KubeStore.UidOf(parent);
            node["parentRefs"] = new JsonArray(reference);
        }
        var info = new JsonArray();
        if (kind == "Pod")
        {
            var reason = (live["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().Select(c => (string?)c["state"]?["waiting"]?["reason"]).FirstOrDefault(r => r is not null)
                         ?? (string?)live["status"]?["phase"] ?? "Unknown";
            var statuses = (live["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
            info.Add(new JsonObject { ["name"] = "Status Reason", ["value"] = reason });
            if ((string?)live["spec"]?["nodeName"] is { } nodeName) info.Add(new JsonObject { ["name"] = "Node", ["value"] = nodeName });
            info.Add(new JsonObject { ["name"] = "Containers", ["value"] = $"{statuses.Count(c => (bool?)c["ready"] == true)}/{(live["spec"]?["containers"] as JsonArray)?.Count ?? 0}" });
            var restarts = statuses.Sum(c => JsonNumbers.Int(c["restartCount"]) ?? 0);
            if (restarts > 0) info.Add(new JsonObject { ["name"] = "Restart Count", ["value"] = restarts.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        if (kind == "ReplicaSet" || kind == "Deployment")
            if ((string?)KubeStore.Meta(live)["annotations"]?[KubeController.RevisionAnnotation] is { } revision) info.Add(new JsonObject { ["name"] = "Revision", ["value"] = "Rev:" + revision });
        if (info.Count > 0) node["info"] = info;
        node["resourceVersion"] = (string?)KubeStore.Meta(live)["resourceVersion"];
        var containers = kind == "Pod" ? live["spec"]?["containers"] as JsonArray : null;
        if (containers is not null) node["images"] = new JsonArray(containers.OfType<JsonObject>().Select(c => (JsonNode?)JsonValue.Create((string?)c["image"])).ToArray());
        if (kind is "Deployment" or "ReplicaSet" or "Pod") node["health"] = ArgoHealth.Of(live).ToJson();
        node["createdAt"] = (string?)KubeStore.Meta(live)["creationTimestamp"];
        return node;
    }

    /// <summary>managed-resources: for each manifest, its desired state (the manifest) and live state, as JSON text.</summary>
    public static JsonObject Managed(IReadOnlyList<ArgoManifest> manifests, string ns, KubeStore kube)
    {
        var items = new JsonArray();
        lock (kube.Gate)
        {
            foreach (var m in manifests)
            {
                var (group, _, kind, name) = ArgoSyncController.Identity(m.Object);
                var r = KubeResources.ByKind(kind);
                var mns = (string?)m.Object["metadata"]?["namespace"] ?? ns;
                var live = r is null ? null : kube.Get(r, r.Namespaced ? mns : null, name);
                var target = (JsonObject)m.Object.DeepClone();
                if (r?.Namespaced != false) KubeStore.Meta(target)["namespace"] = mns;
                var item = new JsonObject();
                if (group.Length > 0) item["group"] = group;
                item["kind"] = kind; item["namespace"] = mns; item["name"] = name;
                item["targetState"] = target.ToJsonString();
                item["liveState"] = live is null ? "null" : live.ToJsonString();
                item["normalizedLiveState"] = live is null ? "null" : live.ToJsonString();
                item["predictedLiveState"] = target.ToJsonString();
                item["modified"] = live is null || !ArgoSyncController.Covers(m.Object["spec"], live["spec"]);
                items.Add(item);
            }
        }
        return new JsonObject { ["items"] = items };
    }
}
