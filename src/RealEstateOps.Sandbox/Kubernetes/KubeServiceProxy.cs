using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// The API server's service proxy (<c>/api/v1/namespaces/{ns}/services/{name}[:{port}]/proxy/{path}</c>, GET/HEAD/POST):
/// answers as the platform service itself would. A service that does not exist is the API's 404; a port the service does
/// not have, or no ready pod behind its selector, is 503 "no endpoints available for service" (as the real API server
/// says). The answer is the release under test's: the newest running pod's image decides (a <c>:broken</c> tag answers 503
/// as a crashing upstream, <c>:slow</c> takes about two seconds), and the sandbox's fault settings for the service apply.
/// Paths: <c>/health</c> (200 <c>{status, service, version}</c> with the image tag as version), <c>/ready</c>, and for
/// api-service <c>/api/v1/properties</c> (GET, <c>?limit=</c>) and <c>/api/v1/search</c> (POST); anything else 404.
/// </summary>
public static class KubeServiceProxy
{
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(2);

    public static async Task HandleAsync(HttpContext http, KubeStore store, SandboxContext sandbox, string ns, string nameAndPort, string path)
    {
        var (name, port) = nameAndPort.Split(':', 2) is [var n, var p] ? (n, p) : (nameAndPort, (string?)null);
        JsonObject service;
        List<JsonObject> ready, running;
        lock (store.Gate)
        {
            service = store.Get(KubeResources.Services, ns, name) ?? throw KubeApiException.NotFound(KubeResources.Services, name);
            var ports = (service["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new();
            if (port is { Length: > 0 } && !ports.Any(x => x["port"]?.ToString() == port || (string?)x["name"] == port))
                throw new KubeApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{nameAndPort}\"");
            var selector = service["spec"]?["selector"] as JsonObject;
            running = selector is null || selector.Count == 0 ? new() : store.Items(KubeResources.Pods, ns)
                .Where(pod => Selects(selector, Labels(pod)) && !KubeStore.IsTerminating(pod) && (string?)pod["status"]?["phase"] == "Running")
                .Select(pod => (JsonObject)pod.DeepClone()).ToList();
            ready = running.Where(KubeController.PodReady).ToList();
        }
        if (ready.Count == 0) throw new KubeApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{nameAndPort}\"");
        // The release under test: the newest running pod (a :broken one runs, crash-looping, and is never ready).
        var newest = running.OrderByDescending(pod => (string?)pod["metadata"]?["creationTimestamp"], StringComparer.Ordinal).First();
        var images = (newest["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => (string?)c["image"] ?? "").ToList() ?? new();
        var image = images.FirstOrDefault(x => x.Contains(name, StringComparison.Ordinal)) ?? images.FirstOrDefault() ?? ""; // the app's container, not a sidecar
        var tag = image.LastIndexOf(':') is var i and >= 0 && !image[(i + 1)..].Contains('/') ? image[(i + 1)..] : "latest";

        var fault = sandbox.Faults.Decide(name, new FaultKind(503, "ServiceUnavailable"));
        if (fault.Latency > TimeSpan.Zero) await Task.Delay(fault.Latency, http.RequestAborted);
        if (tag.Contains("slow", StringComparison.Ordinal)) await Task.Delay(SlowDelay, http.RequestAborted);
        if (fault.Action == FaultAction.Drop) { http.Abort(); return; }
        if (fault.Action == FaultAction.Error) { await Text(http, fault.Error!.Status, "upstream error: fault injected by the sandbox"); return; }
        if (tag.Contains("broken", StringComparison.Ordinal))
        {
            await Text(http, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
            return;
        }

        var method = http.Request.Method;
        var route = "/" + path.Trim('/');
        JsonNode? body = (method, route, name) switch
        {
            ("GET" or "HEAD", "/health", _) => new JsonObject { ["status"] = "ok", ["service"] = name, ["version"] = tag },
            ("GET" or "HEAD", "/ready", _) => new JsonObject { ["ready"] = true, ["pods"] = ready.Count },
            ("GET" or "HEAD", "/api/v1/properties", "api-service") => Properties(http.Request.Query["limit"]),
            ("POST", "/api/v1/search", "api-service") => new JsonObject { ["results"] = new JsonArray(Property(1)), ["total"] = 1 },
            _ => null,
        };
        if (body is null)
        {
            var known = route is "/health" or "/ready" or "/api/v1/properties" or "/api/v1/search";
            await Json(http, known ? 405 : 404, new JsonObject { ["detail"] = known ? "Method Not Allowed" : "Not Found" });
            return;
        }
        await Json(http, 200, body);
    }

    private static bool Selects(JsonObject selector, Dictionary<string, string> labels) =>
        selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == (string?)kv.Value);

    private static Dictionary<string, string> Labels(JsonObject pod) =>
        (pod["metadata"]?["labels"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "") ?? new();

    private static JsonObject Properties(Microsoft.Extensions.Primitives.StringValues limitText)
    {
        var limit = int.TryParse(limitText.FirstOrDefault(), out var l) ? Math.Clamp(l, 1, 50) : 10;
        return new JsonObject { ["items"] = new JsonArray(Enumerable.Range(1, limit).Select(i => (JsonNode)Property(i)).ToArray()), ["limit"] = limit, ["total"] = 1250 };
    }

    private static JsonObject Property(int i) => new()
    {
        ["id"] = $"prop-{i:D5}", ["address"] = $"{100 + i} Market Street, San Francisco, CA", ["price"] = 850000 + i * 1000, ["bedrooms"] = 2 + i % 3,
    };

    private static async Task Json(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        if (!HttpMethods.IsHead(http.Request.Method)) await http.Response.WriteAsync(body.ToJsonString());
    }

    private static async Task Text(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain";
        if (!HttpMethods.IsHead(http.Request.Method)) await http.Response.WriteAsync(text);
    }
}
