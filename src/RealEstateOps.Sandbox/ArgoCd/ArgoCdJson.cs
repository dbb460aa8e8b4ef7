using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>
/// argocd-server's wire format (the Go types of pkg/apis/application/v1alpha1 as its JSON marshaler writes them: Application,
/// ApplicationList, ApplicationTree, RevisionMetadata, VersionMessage) and its errors as grpc-gateway writes a gRPC status.
/// </summary>
public static class ArgoCdJson
{
    public const string ServerVersion = "v3.1.8+becb020";

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Application(ArgoApplication app, DateTimeOffset now)
    {
        var meta = new JsonObject
        {
            ["name"] = app.Name, ["namespace"] = app.Namespace, ["uid"] = app.Uid,
            ["resourceVersion"] = app.ResourceVersion.ToString(CultureInfo.InvariantCulture), ["generation"] = app.Generation,
            ["creationTimestamp"] = Time(app.CreatedAt),
        };
        if (app.Labels.Count > 0) meta["labels"] = app.Labels.DeepClone();
        if (app.Annotations.Count > 0) meta["annotations"] = app.Annotations.DeepClone();
        var status = new JsonObject
        {
            ["resources"] = app.Resources.DeepClone(),
            ["sync"] = new JsonObject
            {
                ["status"] = app.SyncStatus,
                ["comparedTo"] = new JsonObject { ["source"] = app.Spec["source"]?.DeepClone(), ["destination"] = app.Spec["destination"]?.DeepClone() },
            },
            ["health"] = app.HealthChangedAt is { } changed
                ? new JsonObject { ["status"] = app.HealthStatus, ["lastTransitionTime"] = Time(changed) }
                : new JsonObject { ["status"] = app.HealthStatus },
        };
        if (app.ComparedRevision is { } revision) status["sync"]!["revision"] = revision;
        if (app.History.Count > 0) status["history"] = new JsonArray(app.History.Select(h => (JsonNode)h.DeepClone()).ToArray());
        if (app.ComparisonError is { } error)
            status["conditions"] = new JsonArray(new JsonObject { ["type"] = "ComparisonError", ["message"] = error, ["lastTransitionTime"] = Time(app.ReconciledAt ?? now) });
        if (app.ReconciledAt is { } reconciled) { status["reconciledAt"] = Time(reconciled); status["observedAt"] = Time(reconciled); }
        if (app.OperationState is { } op) status["operationState"] = op.DeepClone();
        status["sourceType"] = "Directory";
        status["summary"] = app.Images.Count > 0 ? new JsonObject { ["images"] = app.Images.DeepClone() } : new JsonObject();
        status["controllerNamespace"] = ArgoCdStore.ControlNamespace;
        var result = new JsonObject { ["metadata"] = meta, ["spec"] = app.Spec.DeepClone() };
        if (app.Operation is { } operation) result["operation"] = operation.DeepClone();
        result["status"] = status;
        return result;
    }

    public static JsonObject ApplicationList(IEnumerable<JsonObject> items, long resourceVersion) => new()
    {
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
        ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
    };

    public static JsonObject RevisionMetadata(ArgoRevisionMetadata m) => new()
    {
        ["author"] = m.Author, ["date"] = Time(m.Date),
        ["tags"] = new JsonArray(m.Tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
        ["message"] = m.Message,
    };

    public static JsonObject Version() => new()
    {
        ["Version"] = ServerVersion, ["BuildDate"] = "2025-09-30T14:02:11Z", ["GitCommit"] = "becb020064fe9be5381bf6e5818ff8587ca8f377",
        ["GitTreeState"] = "clean", ["GoVersion"] = "go1.24.6", ["Compiler"] = "gc", ["Platform"] = "linux/amd64",
        ["KustomizeVersion"] = "v5.7.0 2025-06-28T07:00:07Z", ["HelmVersion"] = "v3.18.4+gd80839c", ["KubectlVersion"] = "v0.33.1", ["JsonnetVersion"] = "v0.21.0",
    };

    public static JsonObject UserInfo() => new() { ["loggedIn"] = true, ["username"] = "admin", ["iss"] = "argocd", ["groups"] = new JsonArray() };

    /// <summary>A gRPC status as grpc-gateway writes it: {"error", "code", "message"} (the error repeats the message, as argocd-server's do).</summary>
    public static JsonObject Error(int code, string message) => new() { ["error"] = message, ["code"] = code, ["message"] = message, ["details"] = new JsonArray() };

    public static async Task WriteAsync(HttpContext http, JsonNode body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext http, ArgoCdFault fault) =>
        WriteAsync(http, Error(fault.Code, fault.Message), fault.HttpStatus);

    /// <summary>A number or a string holding one (grpc-gateway's int64 fields arrive either way).</summary>
    public static long? Int64(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    public static bool Bool(JsonNode? node) => node is JsonValue v && (v.TryGetValue<bool>(out var b) ? b : v.TryGetValue<string>(out var s) && s == "true");

    public static async Task<JsonObject> BodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) return new JsonObject();
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw ArgoCdFault.Invalid("the request body is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw ArgoCdFault.Invalid("invalid character in request body: " + ex.Message);
        }
    }
}
