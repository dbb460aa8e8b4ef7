using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Langfuse;

/// <summary>
/// Langfuse's public API under /api/public, with basic auth by the sandbox's key pair (the public key as user, the secret
/// key as password): v2 observations (cursor paging, field groups, filters), v2 metrics (<see cref="LangfuseMetrics"/>),
/// v3 scores, v2 datasets and dataset items. Followed: Langfuse's OpenAPI definition (langfuse/langfuse,
/// web/public/generated/api/openapi.yml, generated from fern/apis/server/definition) as its API reference at
/// api.reference.langfuse.com documents it. This class only routes: the state is <see cref="LangfuseStore"/>, the wire
/// format <see cref="LangfuseJson"/>.
/// </summary>
public sealed class LangfuseService : ISandboxService
{
    public const string Prefix = "/api/public";
    private LangfuseStore _store = null!;
    private LangfuseMetrics _metrics = null!;

    public string Name => "langfuse";

    /// <summary>The state, once mapped (tests reach it).</summary>
    public LangfuseStore Store => _store;

    public bool Owns(HttpRequest request) => request.Path.StartsWithSegments(Prefix);

    public string OperationOf(HttpRequest request)
    {
        var post = HttpMethods.IsPost(request.Method);
        return Segments(request) switch
        {
            ["v2", "observations"] => "ListObservations",
            ["v2", "metrics"] => "GetMetrics",
            ["v3", "scores"] => "ListScores",
            ["v2", "datasets"] => post ? "CreateDataset" : "ListDatasets",
            ["v2", "datasets", _] => "GetDataset",
            ["dataset-items"] => post ? "CreateDatasetItem" : "ListDatasetItems",
            ["dataset-items", _] => "GetDatasetItem",
            _ => request.Method + " " + request.Path,
        };
    }

    public FaultKind ThrottleFault => new(429, "TooManyRequests");

    public Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        var error = status switch { 429 => "TooManyRequestsError", 401 => "UnauthorizedError", 404 => "LangfuseNotFoundError", 400 => "InvalidRequestError", _ => "InternalServerError" };
        return LangfuseJson.WriteErrorAsync(context, status, error, status >= 500 && message.StartsWith("Fault", StringComparison.Ordinal) ? "Internal Server Error: " + message : message);
    }

    /// <summary>Basic auth with the sandbox's Langfuse key pair; anything else is 401 as Langfuse words it.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox)
    {
        var secrets = sandbox.Options.Secrets;
        var header = context.Request.Headers.Authorization.ToString();
        string? failure = null;
        if (string.IsNullOrEmpty(header)) failure = "Unauthorized: no authorization header. Use basic auth with your Langfuse public key as username and secret key as password.";
        else if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) failure = "Unauthorized: the public API takes basic auth (public key and secret key), not a bearer token.";
        else
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
            catch (FormatException) { decoded = ""; }
            var colon = decoded.IndexOf(':');
            var ok = colon > 0 && secrets.LangfuseSecretKey.Length > 0 && secrets.LangfusePublicKey.Length > 0 &&
                     Same(decoded[..colon], secrets.LangfusePublicKey) & Same(decoded[(colon + 1)..], secrets.LangfuseSecretKey);
            if (!ok) failure = "Invalid credentials. Confirm that you've configured the correct host.";
        }
        if (failure is null) return true;
        if (!context.Response.HasStarted) await LangfuseJson.WriteErrorAsync(context, 401, "UnauthorizedError", failure);
        return false;
    }

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox)
    {
        _store = new LangfuseStore(sandbox.Clock);
        _metrics = new LangfuseMetrics(_store);
        endpoints.Map(Prefix + "/{**rest}", Handle);
    }

    private static string[] Segments(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var rest = path.Length > Prefix.Length ? path[Prefix.Length..] : "";
        return rest.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
    }

    // ------------------------------------------------------------------ dispatch

    private async Task Handle(HttpContext http)
    {
        try
        {
            var q = http.Request.Query;
            var get = HttpMethods.IsGet(http.Request.Method);
            var post = HttpMethods.IsPost(http.Request.Method);
            var (status, body) = Segments(http.Request) switch
            {
                ["v2", "observations"] when get => (200, ListObservations(q)),
                ["v2", "metrics"] when get => (200, _metrics.Query(Optional(q, "query"))),
                ["v3", "scores"] when get => (200, ListScores(q)),
                ["v2", "datasets"] when get => (200, ListDatasets(q)),
                ["v2", "datasets"] when post => (200, CreateDataset(await BodyAsync(http))),
                ["v2", "datasets", var name] when get => (200, LangfuseJson.Dataset(_store.RequireDataset(name))),
                ["dataset-items"] when get => (200, ListItems(q)),
                ["dataset-items"] when post => (200, CreateItem(await BodyAsync(http))),
                ["dataset-items", var id] when get => (200, GetItem(id)),
                ["v2", "observations" or "metrics"] or ["v3", "scores"] or ["dataset-items", ..] or ["v2", "datasets", ..] =>
                    throw new LangfuseFault(405, "MethodNotAllowedError", $"Method {http.Request.Method} is not allowed on {http.Request.Path}."),
                ["traces", ..] or ["observations", ..] or ["metrics", ..] =>
                    throw LangfuseFault.NotFound($"{http.Request.Path} was removed from the public API: use /api/public/v2/observations and /api/public/v2/metrics."),
                _ => throw LangfuseFault.NotFound($"No public API endpoint matches {http.Request.Method} {http.Request.Path}."),
            };
            await LangfuseJson.WriteAsync(http, body, status);
        }
        catch (LangfuseFault f)
        {
            if (!http.Response.HasStarted) await LangfuseJson.WriteErrorAsync(http, f.Status, f.Error, f.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { }
    }

    // ------------------------------------------------------------------ observations and scores

    private JsonObject ListObservations(IQueryCollection q)
    {
        var limit = Limit(q, 50, 1000);
        var groups = Groups(q, LangfuseJson.ObservationFieldGroups, new[] { "core", "basic" });
        groups.Add("core");
        IReadOnlyList<LangfuseFilter> filters;
        if (Optional(q, "filter") is { } filterText)
        {
            // The filter parameter takes precedence over the single-value parameters, as Langfuse documents.
            JsonNode? node;
            try { node = JsonNode.Parse(filterText); }
            catch (JsonException) { throw LangfuseFault.BadRequest("Invalid filter parameter: not valid JSON."); }
            filters = LangfuseColumnSets.Observations.Parse(node, "filter parameter");
        }
        else
        {
            var list = new List<LangfuseFilter>();
            void Eq(string parameter, string column)
            {
                if (Optional(q, parameter) is { } v) list.Add(new LangfuseFilter(column, "=", JsonValue.Create(v), "string", null));
            }
            Eq("name", "name"); Eq("userId", "userId"); Eq("type", "type"); Eq("traceId", "traceId"); Eq("version", "version");
            Eq("parentObservationId", "parentObservationId"); Eq("environment", "environment");
            if (Optional(q, "level") is { } level)
            {
                if (level is not ("DEBUG" or "DEFAULT" or "WARNING" or "ERROR")) throw LangfuseFault.BadRequest($"Invalid level '{level}': DEBUG, DEFAULT, WARNING or ERROR.");
                list.Add(new LangfuseFilter("level", "=", JsonValue.Create(level), "string", null));
            }
            if (TimeParam(q, "fromStartTime") is { } from) list.Add(new LangfuseFilter("startTime", ">=", JsonValue.Create(LangfuseJson.Time(from)), "datetime", null));
            if (TimeParam(q, "toStartTime") is { } to) list.Add(new LangfuseFilter("startTime", "<", JsonValue.Create(LangfuseJson.Time(to)), "datetime", null));
            filters = list;
        }
        var (page, cursor) = _store.ListObservations(filters, limit, Optional(q, "cursor"));
        return LangfuseJson.Cursored(page.Select(o => LangfuseJson.Observation(o, groups)), cursor);
    }

    private JsonObject ListScores(IQueryCollection q)
    {
        var limit = Limit(q, 50, 100);
        var groups = Groups(q, ScoreGroups, Array.Empty<string>());
        var filters = new List<LangfuseFilter>();
        void Options(string parameter, string column, bool upper = false)
        {
            if (Optional(q, parameter) is not { } v) return;
            var values = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => upper ? x.ToUpperInvariant() : x);
            filters.Add(new LangfuseFilter(column, "any of", new JsonArray(values.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()), "stringOptions", null));
        }
        Options("id", "id"); Options("name", "name"); Options("source", "source", upper: true); Options("dataType", "dataType", upper: true);
        Options("environment", "environment"); Options("traceId", "traceId"); Options("observationId", "observationId");
        if (Optional(q, "observationId") is not null && Optional(q, "traceId") is null)
            throw LangfuseFault.BadRequest("observationId requires traceId: observation ids are scoped to a trace.");
        if (Optional(q, "sessionId") is not null && (Optional(q, "traceId") ?? Optional(q, "observationId")) is not null)
            throw LangfuseFault.BadRequest("sessionId cannot be combined with traceId or observationId.");
        Options("sessionId", "sessionId");
        var dataTypes = Optional(q, "dataType")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? Array.Empty<string>();
        foreach (var (parameter, op) in new[] { ("valueMin", ">="), ("valueMax", "<=") })
        {
            if (Optional(q, parameter) is not { } text) continue;
            if (dataTypes.Length != 1 || !dataTypes[0].Trim().Equals("NUMERIC", StringComparison.OrdinalIgnoreCase))
                throw LangfuseFault.BadRequest($"{parameter} requires dataType=NUMERIC as a single value.");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) || !double.IsFinite(bound))
                throw LangfuseFault.BadRequest($"{parameter} must be a finite number.");
            filters.Add(new LangfuseFilter("value", op, JsonValue.Create(bound), "number", null));
        }
        if (Optional(q, "value") is { } exact)
        {
            if (dataTypes.Length != 1) throw LangfuseFault.BadRequest("value requires a single dataType (NUMERIC, BOOLEAN or CATEGORICAL).");
            var numbers = exact.Split(',').Select(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : throw LangfuseFault.BadRequest($"value '{x}' is not a finite number.")).ToList();
            filters.Add(new LangfuseFilter("value", "=", JsonValue.Create(numbers[0]), "number", null));
        }
        if (TimeParam(q, "fromTimestamp") is { } from) filters.Add(new LangfuseFilter("timestamp", ">=", JsonValue.Create(LangfuseJson.Time(from)), "datetime", null));
        if (TimeParam(q, "toTimestamp") is { } to) filters.Add(new LangfuseFilter("timestamp", "<", JsonValue.Create(LangfuseJson.Time(to)), "datetime", null));
        var (page, cursor) = _store.ListScores(filters, limit, Optional(q, "cursor"));
        return LangfuseJson.Cursored(page.Select(s => LangfuseJson.Score(s, groups)), cursor);
    }

    private static readonly string[] ScoreGroups = LangfuseJson.ScoreFieldGroups;

    // ------------------------------------------------------------------ datasets

    private JsonObject ListDatasets(IQueryCollection q)
    {
        var (page, limit) = (Page(q), Limit(q, 50, 100));
        var (data, total) = _store.ListDatasets(page, limit);
        return LangfuseJson.Paginated(data.Select(LangfuseJson.Dataset), page, limit, total);
    }

    private JsonObject CreateDataset(JsonObject body)
    {
        var name = Text(body, "name");
        if (string.IsNullOrWhiteSpace(name)) throw LangfuseFault.BadRequest("Invalid request data: name is required.");
        return LangfuseJson.Dataset(_store.UpsertDataset(name, Text(body, "description"), body["metadata"]?.DeepClone()));
    }

    private JsonObject ListItems(IQueryCollection q)
    {
        var (page, limit) = (Page(q), Limit(q, 50, 100));
        var (data, total) = _store.ListItems(Optional(q, "datasetName"), Optional(q, "sourceTraceId"), page, limit);
        return LangfuseJson.Paginated(data.Select(LangfuseJson.Item), page, limit, total);
    }

    private JsonObject GetItem(string id)
    {
        var (all, _) = _store.ListItems(null, null, 1, int.MaxValue);
        return LangfuseJson.Item(all.FirstOrDefault(i => i.Id == id) ?? throw LangfuseFault.NotFound($"Dataset item not found: {id}"));
    }

    private JsonObject CreateItem(JsonObject body)
    {
        var dataset = Text(body, "datasetName");
        if (string.IsNullOrWhiteSpace(dataset)) throw LangfuseFault.BadRequest("Invalid request data: datasetName is required.");
        var id = Text(body, "id");
        if (id is { Length: > 255 }) throw LangfuseFault.BadRequest("Invalid request data: id must be at most 255 characters.");
        var status = Text(body, "status");
        if (status is not (null or "ACTIVE" or "ARCHIVED")) throw LangfuseFault.BadRequest($"Invalid request data: status '{status}' is not ACTIVE or ARCHIVED.");
        return LangfuseJson.Item(_store.UpsertItem(dataset, id, body["input"]?.DeepClone(), body["expectedOutput"]?.DeepClone(), body["metadata"]?.DeepClone(),
            Text(body, "sourceTraceId"), Text(body, "sourceObservationId"), status));
    }

    // ------------------------------------------------------------------ parameters

    private static async Task<JsonObject> BodyAsync(HttpContext http)
    {
        var text = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync(http.RequestAborted);
        try { return JsonNode.Parse(text) as JsonObject ?? throw LangfuseFault.BadRequest("Invalid request data: the body must be a JSON object."); }
        catch (JsonException) { throw LangfuseFault.BadRequest("Invalid request data: the body is not valid JSON."); }
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => (string?)v,
            _ => throw LangfuseFault.BadRequest($"Invalid request data: {name} must be a string."),
        };

    private static string? Optional(IQueryCollection q, string name) => q[name] is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    private static int Limit(IQueryCollection q, int fallback, int max)
    {
        if (Optional(q, "limit") is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
            throw LangfuseFault.BadRequest($"limit must be an integer between 1 and {max}.");
        return limit;
    }

    private static int Page(IQueryCollection q)
    {
        if (Optional(q, "page") is not { } text) return 1;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 1) throw LangfuseFault.BadRequest("page must be an integer of at least 1.");
        return page;
    }

    private static HashSet<string> Groups(IQueryCollection q, string[] allowed, string[] fallback)
    {
        if (Optional(q, "fields") is not { } text) return fallback.ToHashSet(StringComparer.Ordinal);
        var groups = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = groups.Where(g => !allowed.Contains(g)).ToList();
        if (unknown.Count > 0) throw LangfuseFault.BadRequest($"Invalid field group(s): {string.Join(", ", unknown)}. Allowed: {string.Join(", ", allowed)}.");
        return groups;
    }

    private static DateTimeOffset? TimeParam(IQueryCollection q, string name)
    {
        if (Optional(q, name) is not { } text) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : throw LangfuseFault.BadRequest($"{name} must be an ISO 8601 date-time.");
    }
}
