using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>A resource's health as Argo CD reports it: status (Healthy, Progressing, Degraded, Suspended, Missing, Unknown) and message.</summary>
public sealed record ArgoResourceHealth(string Status, string? Message = null)
{
    public static readonly ArgoResourceHealth Healthy = new("Healthy");
    public static readonly ArgoResourceHealth Missing = new("Missing");

    /// <summary>gitops-engine's order of health statuses, best first (health.IsWorse).</summary>
    private static readonly string[] Order = { "Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown" };

    public static int Rank(string status) => Array.IndexOf(Order, status) is var i and >= 0 ? i : Order.Length - 1;

    public JsonObject ToJson() => Message is { Length: > 0 } m ? new JsonObject { ["status"] = Status, ["message"] = m } : new JsonObject { ["status"] = Status };
}

/// <summary>
/// Health of live objects as gitops-engine computes it (pkg/health: health_deployment.go, health_replicaset.go, health_pod.go);
/// kinds it has no check for (Service of type ClusterIP, ConfigMap, ...) are healthy when they exist.
/// </summary>
public static class ArgoHealth
{
    public static ArgoResourceHealth Of(JsonObject live) => (string?)live["kind"] switch
    {
        "Deployment" => Deployment(live),
        "ReplicaSet" => ReplicaSet(live),
        "Pod" => Pod(live),
        _ => ArgoResourceHealth.Healthy,
    };

    private static long Generation(JsonObject o) => JsonNumbers.Long(KubeStore.Meta(o)["generation"]) ?? 0;
    private static long Observed(JsonObject o) => JsonNumbers.Long(o["status"]?["observedGeneration"]) ?? 0;
    private static int Status(JsonObject o, string field) => JsonNumbers.Int(o["status"]?[field]) ?? 0;

    public static ArgoResourceHealth Deployment(JsonObject d)
    {
        var name = KubeStore.NameOf(d);
        if ((bool?)d["spec"]?["paused"] == true) return new("Suspended", "Deployment is paused");
        if (Generation(d) > Observed(d)) return new("Progressing", "Waiting for rollout to finish: observed deployment generation less than desired generation");
        var progressing = (d["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Progressing");
        if ((string?)progressing?["reason"] == "ProgressDeadlineExceeded") return new("Degraded", $"Deployment \"{name}\" exceeded its progress deadline");
        var replicas = JsonNumbers.Int(d["spec"]?["replicas"]);
        var updated = Status(d, "updatedReplicas");
        if (replicas is { } r && updated < r) return new("Progressing", $"Waiting for rollout to finish: {updated} out of {r} new replicas have been updated...");
        if (Status(d, "replicas") > updated) return new("Progressing", $"Waiting for rollout to finish: {Status(d, "replicas") - updated} old replicas are pending termination...");
        if (Status(d, "availableReplicas") < updated) return new("Progressing", $"Waiting for rollout to finish: {Status(d, "availableReplicas")} of {updated} updated replicas are available...");
        return ArgoResourceHealth.Healthy;
    }

    public static ArgoResourceHealth ReplicaSet(JsonObject rs)
    {
        if (Generation(rs) > Observed(rs)) return new("Progressing", "Waiting for rollout to finish: observed replica set generation less than desired generation");
        var failure = (rs["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "ReplicaFailure" && (string?)c["status"] == "True");
        if (failure is not null) return new("Degraded", (string?)failure["message"]);
        var replicas = JsonNumbers.Int(rs["spec"]?["replicas"]);
        if (replicas is { } r && Status(rs, "availableReplicas") < r)
            return new("Progressing", $"Waiting for rollout to finish: {Status(rs, "availableReplicas")} out of {r} new replicas are available...");
        return ArgoResourceHealth.Healthy;
    }

    public static ArgoResourceHealth Pod(JsonObject pod)
    {
        if (KubeStore.IsTerminating(pod)) return new("Progressing", "Pending deletion");
        var restartAlways = ((string?)pod["spec"]?["restartPolicy"] ?? "Always") == "Always";
        var statuses = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
        if (restartAlways)
        {
            var failing = statuses.Select(c => c["state"]?["waiting"]).OfType<JsonObject>()
                .Where(w => (string?)w["reason"] is { } reason && (reason.StartsWith("Err", StringComparison.Ordinal) || reason.EndsWith("Error", StringComparison.Ordinal) || reason.EndsWith("BackOff", StringComparison.Ordinal)))
                .Select(w => (string?)w["message"] ?? "").ToList();
            if (failing.Count > 0) return new("Degraded", string.Join(", ", failing));
        }
        var message = (string?)pod["status"]?["message"];
        switch ((string?)pod["status"]?["phase"])
        {
            case "Pending": return new("Progressing", message);
            case "Succeeded": return new("Healthy", message);
            case "Failed": return new("Degraded", message ?? (string?)pod["status"]?["reason"]);
            case "Running":
                if (!restartAlways) return new("Progressing", message);
                if (KubeController.PodReady(pod)) return new("Healthy", "Running");
                if (statuses.Any(c => c["lastState"]?["terminated"] is not null)) return new("Degraded", message);
                return new("Progressing", message);
            default: return new("Unknown", message);
        }
    }
}
