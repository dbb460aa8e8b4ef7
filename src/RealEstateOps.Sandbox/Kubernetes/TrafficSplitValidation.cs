using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// What the SMI TrafficSplit CRD's schema makes the API server check (split.smi-spec.io, any served version): a root
/// <c>spec.service</c>, a non-empty <c>spec.backends</c>, each backend with a service and an integer weight of 0 or more.
/// A failure is a 422 Invalid status with one cause per field, as kubectl prints it ("The TrafficSplit "x" is invalid: ...").
/// </summary>
public sealed class TrafficSplitValidation : IKubeAdmission
{
    public bool Handles(KubeResource resource) => KubeResources.Same(resource, KubeResources.TrafficSplits);

    public Task ValidateAsync(JsonObject obj, CancellationToken ct)
    {
        var causes = Problems(obj).Select(p => (JsonNode)new JsonObject { ["reason"] = p.Reason, ["message"] = p.Message, ["field"] = p.Field }).ToArray();
        if (causes.Length == 0) return Task.CompletedTask;
        var name = (string?)KubeStore.Meta(obj)["name"] ?? "";
        var text = string.Join(", ", causes.Select(c => $"{(string?)c!["field"]}: {(string?)c["message"]}"));
        throw new KubeApiException(422, "Invalid", $"TrafficSplit.split.smi-spec.io \"{name}\" is invalid: {text}", new JsonObject
        {
            ["name"] = name, ["group"] = "split.smi-spec.io", ["kind"] = "TrafficSplit", ["causes"] = new JsonArray(causes),
        });
    }

    public Task AppliedAsync(JsonObject obj, CancellationToken ct) => Task.CompletedTask;

    public Task DeletedAsync(JsonObject obj, CancellationToken ct) => Task.CompletedTask;

    /// <summary>What is wrong with a TrafficSplit's spec (none when it is valid).</summary>
    public static IEnumerable<(string Field, string Reason, string Message)> Problems(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            yield return ("spec", "FieldValueRequired", "Required value");
            yield break;
        }
        if (spec["service"] is not JsonValue root || root.GetValueKind() != System.Text.Json.JsonValueKind.String || ((string?)root)!.Length == 0)
            yield return ("spec.service", "FieldValueRequired", "Required value");
        if (spec["backends"] is not JsonArray backends || backends.Count == 0)
        {
            yield return ("spec.backends", "FieldValueRequired", "Required value: at least one backend");
            yield break;
        }
        for (var i = 0; i < backends.Count; i++)
        {
            var field = $"spec.backends[{i}]";
            if (backends[i] is not JsonObject backend) { yield return (field, "FieldValueTypeInvalid", "Invalid value: must be an object"); continue; }
            if (backend["service"] is not JsonValue service || service.GetValueKind() != System.Text.Json.JsonValueKind.String || ((string?)service)!.Length == 0)
                yield return (field + ".service", "FieldValueRequired", "Required value");
            var weight = backend["weight"];
            if (weight is null) yield return (field + ".weight", "FieldValueRequired", "Required value");
            else if (weight is not JsonValue w || w.GetValueKind() != System.Text.Json.JsonValueKind.Number || !IsInteger(w))
                yield return (field + ".weight", "FieldValueTypeInvalid", $"Invalid value: \"{weight.ToJsonString()}\": {field}.weight in body must be of type integer");
            else if (decimal.Parse(w.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture) < 0)
                yield return (field + ".weight", "FieldValueInvalid", $"Invalid value: {w.ToJsonString()}: {field}.weight in body should be greater than or equal to 0");
        }
    }

    private static bool IsInteger(JsonValue value) =>
        decimal.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d);
}
