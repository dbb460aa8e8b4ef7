using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Alertmanager;

/// <summary>
/// Alertmanager's API v2 (silences and alerts) over HttpClient with the shared RetryHandler. Every request goes
/// through <see cref="Call"/>, the one error funnel: Alertmanager's answers (a JSON string, a JSON object with a
/// message, or plain text) become SilenceInvalid (400/422 on a silence), SilenceNotFound (404, or its
/// "silence not found"), AlertFilterInvalid (400 on the alerts), else AlertmanagerError; a server that cannot be
/// reached is AlertmanagerUnreachable, one that does not answer in time AlertmanagerTimeout; the caller's own
/// cancellation stays an OperationCanceledException.
/// </summary>
public sealed class AlertmanagerClient : IDisposable
{
    /// <summary>The largest answer read into memory (32 MiB).</summary>
    public const long MaxResponseBytes = 32L * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private int _disposed;

    public AlertmanagerClient(HttpClient http, bool ownsHttp = false)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        BaseUrl = http.BaseAddress?.ToString().TrimEnd('/') ?? "";
    }

    /// <summary>The Alertmanager's base URL (without /api/v2).</summary>
    public string BaseUrl { get; }

    /// <summary>Checks an Alertmanager URL: absolute http or https, no credentials in it (AlertmanagerUrlInvalid).</summary>
    public static Uri ParseUrl(string url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new OpsException("AlertmanagerUrlInvalid", OpsErrorCategory.InvalidArgument,
                $"'{url}' is not an Alertmanager URL: give an absolute http:// or https:// URL such as http://127.0.0.1:9093.", url, isFatal: true);
        if (uri.UserInfo.Length > 0)
            throw new OpsException("AlertmanagerUrlInvalid", OpsErrorCategory.InvalidArgument,
                "The Alertmanager URL carries credentials; give the URL without them.", uri.GetLeftPart(UriPartial.Scheme) + uri.Host, isFatal: true);
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api/v2", StringComparison.Ordinal)) path = path[..^"/api/v2".Length];
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + path + "/");
    }

    /// <param name="timeout">How long one request may take, retries included, before it is AlertmanagerTimeout (default 30 s).</param>
    public static AlertmanagerClient Create(string url, RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null,
        TimeSpan? timeout = null, HttpMessageHandler? innerHandler = null)
    {
        var retry = new RetryHandler(policy, innerHandler) { OnRetry = onRetry };
        var http = new HttpClient(retry, disposeHandler: true)
        {
            BaseAddress = ParseUrl(url),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
        return new AlertmanagerClient(http, ownsHttp: true);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttp) _http.Dispose();
    }

    // ---------------------------------------------------------------- operations

    public async Task<IReadOnlyList<AlertSilence>> ListSilencesAsync(IReadOnlyList<AlertMatcher>? filter, CancellationToken ct)
    {
        var answer = await Call(HttpMethod.Get, "api/v2/silences" + Filter(filter, null), null, Kind.Silence, null, ct).ConfigureAwait(false);
        return AlertmanagerJson.Objects(answer).Select(s => AlertmanagerJson.Silence(s, BaseUrl)).ToList();
    }

    public async Task<AlertSilence> GetSilenceAsync(string id, CancellationToken ct)
    {
        var answer = await Call(HttpMethod.Get, "api/v2/silence/" + Uri.EscapeDataString(CheckId(id)), null, Kind.Silence, id, ct).ConfigureAwait(false);
        return answer is JsonObject o ? AlertmanagerJson.Silence(o, BaseUrl) : throw Invalid("GET silence", id);
    }

    /// <summary>Creates a silence and returns its id. Not retried once sent (a second POST would make a second silence).</summary>
    public async Task<string> PostSilenceAsync(NewAlertSilence silence, DateTimeOffset startsAt, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["matchers"] = new JsonArray(silence.Matchers.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Name, ["value"] = m.Value, ["isRegex"] = m.IsRegex, ["isEqual"] = m.IsEqual,
            }).ToArray()),
            ["startsAt"] = Rfc3339(startsAt),
            ["endsAt"] = Rfc3339(silence.EndsAt),
            ["createdBy"] = silence.CreatedBy,
            ["comment"] = silence.Comment,
        };
        var answer = await Call(HttpMethod.Post, "api/v2/silences", body, Kind.Silence, string.Join(",", silence.Matchers), ct).ConfigureAwait(false);
        return AlertmanagerJson.Str(answer as JsonObject, "silenceID") ?? throw Invalid("POST silences", null);
    }

    /// <summary>Expires a silence (DELETE /api/v2/silence/{id}); an already expired one stays expired.</summary>
    public Task ExpireSilenceAsync(string id, CancellationToken ct) =>
        Call(HttpMethod.Delete, "api/v2/silence/" + Uri.EscapeDataString(CheckId(id)), null, Kind.Silence, id, ct);

    public async Task<IReadOnlyList<AlertmanagerAlert>> ListAlertsAsync(AlertmanagerAlertQuery query, CancellationToken ct)
    {
        var flags = $"active={Bool(query.Active)}&silenced={Bool(query.Silenced)}&inhibited={Bool(query.Inhibited)}&unprocessed={Bool(query.Unprocessed)}";
        if (query.Receiver is { Length: > 0 } receiver) flags += "&receiver=" + Uri.EscapeDataString(receiver);
        var answer = await Call(HttpMethod.Get, "api/v2/alerts" + Filter(query.Matchers, flags), null, Kind.Alert, null, ct).ConfigureAwait(false);
        return AlertmanagerJson.Objects(answer).Select(AlertmanagerJson.Alert).ToList();
    }

    // ---------------------------------------------------------------- transport

    private enum Kind { Silence, Alert }

    private static string Bool(bool b) => b ? "true" : "false";

    public static string Rfc3339(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Filter(IReadOnlyList<AlertMatcher>? matchers, string? more)
    {
        var parts = new List<string>();
        if (more is not null) parts.Add(more);
        foreach (var m in matchers ?? Array.Empty<AlertMatcher>()) parts.Add("filter=" + Uri.EscapeDataString(m.ToString()));
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>Silence ids are UUIDs; anything else is refused before a request (SilenceIdInvalid), as Alertmanager would with 422.</summary>
    private static string CheckId(string id) =>
        Guid.TryParse(id, out _) ? id.Trim().ToLowerInvariant()
            : throw new OpsException("SilenceIdInvalid", OpsErrorCategory.InvalidArgument, $"'{id}' is not a silence id (a UUID such as 5d98ca7e-7a3c-42fb-9f65-ead653f91d88).", id);

    private OpsException Invalid(string what, object? target) =>
        new("AlertmanagerResponseInvalid", OpsErrorCategory.InvalidResult, $"Alertmanager at {BaseUrl} answered {what} with something that is not its API v2 shape.", target);

    /// <summary>The one error funnel (see the class summary). Returns the parsed JSON answer (null for an empty body).</summary>
    private async Task<JsonNode?> Call(HttpMethod method, string path, JsonNode? body, Kind kind, object? target, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            throw new OpsException("AlertmanagerUnreachable", OpsErrorCategory.ConnectionError,
                $"Alertmanager at {BaseUrl} could not be reached ({method} /{path.Split('?')[0]}): {ex.Message}", target, ExceptionSanitizer.Sanitize(ex))
            {
                RecommendedAction = "Check -AlertmanagerUrl or the context's ServiceUrls['alertmanager'] (Set-OpsContext -ServiceUrl @{ alertmanager = '...' }).",
            };
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is TimeoutException or OperationCanceledException)
        {
            throw new OpsException("AlertmanagerTimeout", OpsErrorCategory.OperationTimeout,
                $"Alertmanager at {BaseUrl} did not answer {method} /{path.Split('?')[0]} within {Waiting.Waiter.Format(_http.Timeout)} (retries included).", target, ExceptionSanitizer.Sanitize(ex));
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                if (string.IsNullOrWhiteSpace(text)) return null;
                try { return JsonNode.Parse(text); }
                catch (JsonException) { throw Invalid($"{method} /{path.Split('?')[0]}", target); }
            }
            throw Error(response.StatusCode, Message(text), kind, target);
        }
    }

    /// <summary>Alertmanager's error text: a JSON string ("silence not found"), a JSON object's message (validation, code 6xx), or the plain body.</summary>
    private static string Message(string body)
    {
        var trimmed = body.Trim();
        try
        {
            switch (JsonNode.Parse(trimmed))
            {
                case JsonValue v when v.TryGetValue<string>(out var s): return s;
                case JsonObject o when AlertmanagerJson.Str(o, "message") is { } m: return m;
            }
        }
        catch (JsonException) { }
        return trimmed.Length > 500 ? trimmed[..500] + "..." : trimmed;
    }

    private OpsException Error(HttpStatusCode status, string message, Kind kind, object? target)
    {
        var code = (int)status;
        if (kind == Kind.Silence && (code == 404 || message.Contains("not found", StringComparison.OrdinalIgnoreCase)))
            return new OpsException("SilenceNotFound", OpsErrorCategory.ObjectNotFound, $"Alertmanager at {BaseUrl} has no silence {target}" + (message.Length > 0 ? $": {message}" : "."), target);
        if (code is 400 or 422)
            return kind == Kind.Silence
                ? new OpsException("SilenceInvalid", OpsErrorCategory.InvalidArgument, $"Alertmanager refused the silence: {message}", target)
                : new OpsException("AlertFilterInvalid", OpsErrorCategory.InvalidArgument, $"Alertmanager refused the alert filter: {message}", target);
        return new OpsException("AlertmanagerError", code is 401 or 403 ? OpsErrorCategory.PermissionDenied : OpsErrorCategory.InvalidResult,
            $"Alertmanager at {BaseUrl} answered HTTP {code}: {message}", target);
    }
}

/// <summary>Reading Alertmanager's API v2 JSON shapes.</summary>
internal static class AlertmanagerJson
{
    public static string? Str(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? node) => node is JsonArray a ? a.OfType<JsonObject>() : Enumerable.Empty<JsonObject>();

    public static DateTimeOffset? Time(JsonObject? o, string name) =>
        Str(o, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    public static IReadOnlyDictionary<string, string> Map(JsonNode? node)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
            foreach (var (k, v) in o)
                if (v is JsonValue value) map[k] = value.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        return map;
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() : Array.Empty<string>();

    public static AlertSilence Silence(JsonObject s, string url) => new()
    {
        Id = Str(s, "id") ?? "",
        State = (Str(s["status"] as JsonObject, "state") ?? "") switch
        {
            "active" => AlertSilenceState.Active, "pending" => AlertSilenceState.Pending, "expired" => AlertSilenceState.Expired, _ => AlertSilenceState.Unknown,
        },
        Matchers = Objects(s["matchers"]).Select(m => new AlertMatcher(Str(m, "name") ?? "", Str(m, "value") ?? "",
            m["isRegex"] is JsonValue r && r.TryGetValue<bool>(out var isRegex) && isRegex,
            m["isEqual"] is not JsonValue e || !e.TryGetValue<bool>(out var isEqual) || isEqual)).ToList(),
        StartsAt = Time(s, "startsAt") ?? default,
        EndsAt = Time(s, "endsAt") ?? default,
        UpdatedAt = Time(s, "updatedAt"),
        CreatedBy = Str(s, "createdBy") ?? "",
        Comment = Str(s, "comment") ?? "",
        AlertmanagerUrl = url,
    };

    public static AlertmanagerAlert Alert(JsonObject a)
    {
        var labels = Map(a["labels"]);
        var status = a["status"] as JsonObject;
        return new AlertmanagerAlert
        {
            Name = labels.TryGetValue("alertname", out var n) ? n : "",
            Labels = labels,
            Annotations = Map(a["annotations"]),
            State = (Str(status, "state") ?? "") switch
            {
                "active" => AlertmanagerAlertState.Active, "suppressed" => AlertmanagerAlertState.Suppressed, "unprocessed" => AlertmanagerAlertState.Unprocessed, _ => AlertmanagerAlertState.Unknown,
            },
            SilencedBy = Strings(status?["silencedBy"]),
            InhibitedBy = Strings(status?["inhibitedBy"]),
            Receivers = Objects(a["receivers"]).Select(r => Str(r, "name")).OfType<string>().ToList(),
            StartsAt = Time(a, "startsAt") ?? default,
            EndsAt = Time(a, "endsAt"),
            UpdatedAt = Time(a, "updatedAt"),
            Fingerprint = Str(a, "fingerprint") ?? "",
            GeneratorUrl = Str(a, "generatorURL"),
        };
    }
}
