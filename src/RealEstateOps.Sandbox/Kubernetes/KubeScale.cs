using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// A deployment's scale subresource (autoscaling/v1 Scale) as kubectl scale and the HorizontalPodAutoscaler use it:
/// GET reads spec.replicas, status.replicas and the selector as a string; PUT replaces spec.replicas (with the
/// resourceVersion precondition when the body has one); PATCH applies a merge, strategic or JSON patch to the Scale.
/// The deployment controller then moves the replica sets.
/// </summary>
public static class KubeScale
{
    public static JsonObject Handle(KubeStore store, string ns, string name, string verb, JsonNode? body, string contentType, bool dryRun)
    {
        lock (store.Gate)
        {
            var deployment = store.Require(KubeResources.Deployments, ns, name);
            var current = Of(deployment);
            if (verb == "get") return current;
            JsonObject wanted;
            if (verb == "update")
            {
                wanted = body as JsonObject ?? throw KubeApiException.BadRequest("the request body must be a Scale object");
                if ((string?)wanted["metadata"]?["resourceVersion"] is { Length: > 0 } rv && rv != (string?)KubeStore.Meta(deployment)["resourceVersion"])
                    throw KubeApiException.Conflict(KubeResources.Deployments, name, "the object has been modified; please apply your changes to the latest version and try again");
            }
            else wanted = KubePatch.Apply(current, contentType, body!);
            var replicas = wanted["spec"]?["replicas"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : (long?)null;
            if (replicas is null or < 0 or > int.MaxValue)
                throw new KubeApiException(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: {wanted["spec"]?["replicas"]?.ToJsonString() ?? "null"}: must be greater than or equal to 0",
                    new JsonObject { ["name"] = name, ["group"] = "autoscaling", ["kind"] = "Scale" });
            if (dryRun)
            {
                current["spec"]!["replicas"] = replicas;
                return current;
            }
            var changed = (JsonObject)deployment.DeepClone();
            changed["spec"]!["replicas"] = replicas;
            return Of(store.Replace(KubeResources.Deployments, ns, name, changed));
        }
    }

    /// <summary>The Scale object of a deployment.</summary>
    public static JsonObject Of(JsonObject deployment)
    {
        var meta = KubeStore.Meta(deployment);
        var labels = deployment["spec"]?["selector"]?["matchLabels"] as JsonObject;
        var selector = string.Join(',', (labels ?? new JsonObject()).Select(kv => $"{kv.Key}={(string?)kv.Value}"));
        return new JsonObject
        {
            ["kind"] = "Scale", ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(), ["namespace"] = meta["namespace"]?.DeepClone(), ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(), ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = deployment["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject { ["replicas"] = deployment["status"]?["replicas"]?.DeepClone() ?? 0, ["selector"] = selector },
        };
    }
}
