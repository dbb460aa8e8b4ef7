using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RealEstateOps.Sandbox.Notification;

/// <summary>
/// The stakeholder sink: a Slack incoming webhook (<c>POST /_webhooks/slack/{channel}/{token}</c>: 200 text/plain <c>ok</c>; a bad
/// payload 400 <c>invalid_payload</c> or <c>no_text</c>, a wrong token 403 <c>invalid_token</c>, the channel <c>broken</c> 404
/// <c>no_service</c>), a Teams webhook (<c>POST /_webhooks/teams/{channel}/{token}</c>: 200 <c>1</c>), PagerDuty's Events API v2
/// (<c>POST /v2/enqueue</c>: the sandbox's routing key and a valid event, 202 <c>{status, message, dedup_key}</c>, else 400
/// <c>{status:"invalid event", message, errors}</c>), and what was received at <c>GET /_sandbox/notifications</c> (the
/// control token; routing keys removed). The token in a webhook URL is its secret, as Slack's and Teams' URLs carry one.
/// </summary>
public sealed class NotificationService : ISandboxService
{
    public const string SlackPrefix = "/_webhooks/slack";
    public const string TeamsPrefix = "/_webhooks/teams";
    public const string PagerDutyPath = "/v2/enqueue";
    public const string BrokenChannel = "broken";

    public NotificationSink Sink { get; } = new();

    public string Name => "notifications";

    public bool Owns(HttpRequest request) =>
        request.Path.StartsWithSegments("/_webhooks") || request.Path.Equals(PagerDutyPath, StringComparison.Ordinal);

    public string OperationOf(HttpRequest request) =>
        request.Path.StartsWithSegments(SlackPrefix) ? "PostSlack" : request.Path.StartsWithSegments(TeamsPrefix) ? "PostTeams" : "EnqueueEvent";

    /// <summary>The token and routing key are checked by the endpoints themselves, as the services answer in their own shape.</summary>
    public Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox) => Task.FromResult(true);

    public Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        if (context.Request.Path.Equals(PagerDutyPath, StringComparison.Ordinal))
            return context.Response.WriteAsJsonAsync(new { status = code, message, errors = new[] { message } });
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(status == 429 ? "rate_limited" : code);
    }

    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox)
    {
        endpoints.MapPost(SlackPrefix + "/{channel}/{token}", (HttpContext http, string channel, string token) => Webhook(http, sandbox, "Slack", channel, token));
        endpoints.MapPost(TeamsPrefix + "/{channel}/{token}", (HttpContext http, string channel, string token) => Webhook(http, sandbox, "Teams", channel, token));
        endpoints.MapPost("/_webhooks/{**rest}", () => Text(404, "no_service"));
        Func<HttpContext, Task<IResult>> enqueue = http => PagerDuty(http, sandbox);
        endpoints.MapPost(PagerDutyPath, enqueue);
        endpoints.MapGet(Control.ControlEndpoints.Prefix + "/notifications", () => Results.Json(Sink.All(), SandboxHost.Json));
        endpoints.MapDelete(Control.ControlEndpoints.Prefix + "/notifications", () => { Sink.Clear(); return Results.NoContent(); });
    }

    private async Task<IResult> Webhook(HttpContext http, SandboxContext sandbox, string kind, string channel, string token)
    {
        if (!Security.ControlToken.Matches(token, sandbox.Options.Secrets.WebhookToken)) return Text(403, "invalid_token");
        if (channel.Equals(BrokenChannel, StringComparison.OrdinalIgnoreCase)) return Text(404, "no_service");
        var body = await ReadJsonAsync(http);
        if (body is not JsonObject o) return kind == "Slack" ? Text(400, "invalid_payload") : Text(400, "Bad payload received by generic incoming webhook.");
        if (kind == "Slack" && o["text"] is null && o["blocks"] is null && o["attachments"] is null) return Text(400, "no_text");
        if (kind == "Teams" && o["attachments"] is not JsonArray && (string?)o["@type"] != "MessageCard")
            return Text(400, "Bad payload received by generic incoming webhook.");
        Sink.Add(channel, kind, sandbox.Clock.UtcNow, o);
        return Text(200, kind == "Slack" ? "ok" : "1");
    }

    private async Task<IResult> PagerDuty(HttpContext http, SandboxContext sandbox)
    {
        var body = await ReadJsonAsync(http);
        if (body is not JsonObject o) return Invalid("Event object is invalid", "Request body is not a JSON object");
        var errors = new List<string>();
        var key = Str(o, "routing_key");
        if (key is null || key.Length != 32 || !Security.ControlToken.Matches(key, sandbox.Options.Secrets.PagerDutyRoutingKey))
            errors.Add("'routing_key' is invalid");
        var action = Str(o, "event_action");
        if (action is not ("trigger" or "acknowledge" or "resolve")) errors.Add("'event_action' is missing or invalid");
        var dedup = Str(o, "dedup_key");
        if (dedup is { Length: > 255 }) errors.Add("'dedup_key' is too long");
        if (action is "acknowledge" or "resolve" && string.IsNullOrEmpty(dedup)) errors.Add("'dedup_key' is required for acknowledge and resolve events");
        if (action == "trigger")
        {
            if (o["payload"] is not JsonObject p) errors.Add("'payload' is missing or not an object");
            else
            {
                if (Str(p, "summary") is not { Length: > 0 and <= 1024 }) errors.Add("'payload.summary' is missing or longer than 1024 characters");
                if (Str(p, "source") is not { Length: > 0 }) errors.Add("'payload.source' is missing");
                if (Str(p, "severity") is not ("critical" or "error" or "warning" or "info")) errors.Add("'payload.severity' is invalid");
                if (Str(p, "timestamp") is { } t && !DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
                    errors.Add("'payload.timestamp' is invalid");
            }
        }
        if (errors.Count > 0) return Invalid("Event object is invalid", errors.ToArray());
        dedup ??= Guid.NewGuid().ToString("N");
        var recorded = (JsonObject)o.DeepClone();
        recorded["routing_key"] = "(removed)";
        Sink.Add("pagerduty", "PagerDuty", sandbox.Clock.UtcNow, recorded);
        return Results.Json(new JsonObject { ["status"] = "success", ["message"] = "Event processed", ["dedup_key"] = dedup }, statusCode: 202);
    }

    private static IResult Invalid(string message, params string[] errors) =>
        Results.Json(new JsonObject { ["status"] = "invalid event", ["message"] = message, ["errors"] = new JsonArray(errors.Select(e => (JsonNode)e).ToArray()) }, statusCode: 400);

    private static IResult Text(int status, string text) => Results.Text(text, "text/plain", Encoding.UTF8, status);

    private static string? Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string?)v : null;

    private static async Task<JsonNode?> ReadJsonAsync(HttpContext http)
    {
        try { return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted); }
        catch (JsonException) { return null; }
    }
}
