using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>
/// The monitoring endpoints under /_sandbox/monitoring (control token required, as for every control endpoint):
/// <c>metrics</c> (what Prometheus scrapes as job platform), <c>notifications</c> (POST: Alertmanager's webhook, recorded;
/// GET: what it sent, oldest first) and the root (where Prometheus and Alertmanager listen, or why they do not run).
/// </summary>
public static class MonitoringEndpoints
{
    public static void Map(WebApplication app, SandboxContext sandbox)
    {
        var g = app.MapGroup(ControlEndpoints.Prefix + "/monitoring");
        g.MapGet("/", () => Results.Json(new
        {
            prometheusUrl = sandbox.Monitoring?.PrometheusUrl.ToString(),
            alertmanagerUrl = sandbox.Monitoring?.AlertmanagerUrl.ToString(),
            message = sandbox.MonitoringMessage,
            rulesFolder = sandbox.Monitoring?.RulesFolder,
        }, SandboxHost.Json));
        g.MapGet("/metrics", async (HttpContext http) =>
        {
            if (sandbox.Metrics is not { } metrics)
                return Results.Json(new { code = "MetricsUnavailable", message = "The sandbox serves no Kubernetes API, whose pods the metrics follow." }, SandboxHost.Json, statusCode: 503);
            var text = await metrics.RenderAsync(http.RequestAborted);
            return Results.Text(text, PrometheusText.ContentType);
        });
        g.MapPost("/notifications", async (HttpRequest request) =>
        {
            JsonNode? body;
            try { body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted); }
            catch (System.Text.Json.JsonException ex)
            {
                return Results.Json(new { code = "InvalidNotification", message = ex.Message }, SandboxHost.Json, statusCode: 400);
            }
            if (body is not JsonObject notification) return Results.Json(new { code = "InvalidNotification", message = "A webhook notification is a JSON object." }, SandboxHost.Json, statusCode: 400);
            sandbox.Notifications.Add(notification);
            return Results.Ok();
        });
        g.MapGet("/notifications", () => Results.Json(sandbox.Notifications.All(), SandboxHost.Json));
        g.MapDelete("/notifications", () => { sandbox.Notifications.Clear(); return Results.NoContent(); });
    }
}

/// <summary>What the sandbox's Alertmanager sent to its webhook (the latest 500), each with when it arrived.</summary>
public sealed class NotificationLog
{
    private const int Capacity = 500;
    private readonly LinkedList<JsonObject> _items = new();

    public void Add(JsonObject notification)
    {
        notification["receivedAt"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        lock (_items)
        {
            _items.AddLast(notification);
            while (_items.Count > Capacity) _items.RemoveFirst();
        }
    }

    public JsonArray All()
    {
        lock (_items) return new JsonArray(_items.Select(n => (JsonNode)n.DeepClone()).ToArray());
    }

    public void Clear()
    {
        lock (_items) _items.Clear();
    }
}
