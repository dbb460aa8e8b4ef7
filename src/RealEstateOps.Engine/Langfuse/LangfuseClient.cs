using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Langfuse;

/// <summary>
/// Langfuse's public API (basic auth: the public key as user, the secret key as password) over HttpClient with the shared
/// <see cref="RetryHandler"/>. Endpoints as Langfuse's OpenAPI definition names them (langfuse/langfuse,
/// web/public/generated/api/openapi.yml): GET /api/public/v2/observations (cursor in meta.cursor), GET /api/public/v2/metrics
/// (query = a JSON object), GET /api/public/v3/scores (cursor), /api/public/v2/datasets, /api/public/dataset-items. The v1
/// traces, observations and metrics endpoints are not used: Langfuse Cloud removed them and self-hosted v4 has none.
/// </summary>
public sealed class LangfuseClient : JsonServiceClient
{
    public LangfuseClient(HttpClient http, bool ownsHttp = false) : base(http, ownsHttp, "Langfuse", "Langfuse") { }

    /// <param name="timeout">How long one request may take, retries included, before it is LangfuseTimeout (default 1 minute).</param>
    public static LangfuseClient Create(LangfuseTarget target, RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null,
        TimeSpan? timeout = null, HttpMessageHandler? inner = null)
    {
        var retry = new RetryHandler(policy, inner ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All })
        {
            OnRetry = onRetry,
        };
        var http = new HttpClient(retry) { BaseAddress = target.BaseUri, Timeout = timeout ?? TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(target.PublicKey.Value + ":" + target.SecretKey)));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RealEstateOps", "1.0"));
        return new LangfuseClient(http, ownsHttp: true);
    }

    // ---------------------------------------------------------------- endpoints

    /// <summary>One page of GET /api/public/v2/observations: its rows and the next page's cursor (null on the last page).</summary>
    public async Task<LangfusePage> GetObservationsAsync(IEnumerable<(string Name, string? Value)> parameters, CancellationToken ct)
    {
        var o = await Call("list observations", HttpMethod.Get, "api/public/v2/observations", Query(parameters), null, null, idempotent: true, ct).ConfigureAwait(false);
        return new LangfusePage(Rows(o, "list observations"), Str(o["meta"], "cursor"));
    }

    /// <summary>One page of GET /api/public/v3/scores.</summary>
    public async Task<LangfusePage> GetScoresAsync(IEnumerable<(string Name, string? Value)> parameters, CancellationToken ct)
    {
        var o = await Call("list scores", HttpMethod.Get, "api/public/v3/scores", Query(parameters), null, null, idempotent: true, ct).ConfigureAwait(false);
        return new LangfusePage(Rows(o, "list scores"), Str(o["meta"], "cursor"));
    }

    /// <summary>GET /api/public/v2/metrics with the query object; the answer's data rows.</summary>
    public async Task<IReadOnlyList<JsonObject>> GetMetricsAsync(JsonObject query, CancellationToken ct)
    {
        var o = await Call("query metrics", HttpMethod.Get, "api/public/v2/metrics", Query(new[] { ("query", (string?)query.ToJsonString()) }), null, null, idempotent: true, ct).ConfigureAwait(false);
        return Rows(o, "query metrics");
    }

    /// <summary>One page of GET /api/public/v2/datasets (page-numbered: meta.totalPages).</summary>
    public async Task<(IReadOnlyList<JsonObject> Rows, int TotalPages)> ListDatasetsAsync(int page, int limit, CancellationToken ct)
    {
        var o = await Call("list datasets", HttpMethod.Get, "api/public/v2/datasets", Query(new[] { ("page", Num(page)), ("limit", Num(limit)) }), null, null, idempotent: true, ct).ConfigureAwait(false);
        return (Rows(o, "list datasets"), Int(o["meta"], "totalPages") ?? 0);
    }

    public Task<JsonObject> GetDatasetAsync(string name, CancellationToken ct) =>
        Call("get dataset", HttpMethod.Get, "api/public/v2/datasets/" + Uri.EscapeDataString(name), null, null, name, idempotent: true, ct);

    /// <summary>POST /api/public/v2/datasets: Langfuse creates the dataset, or updates the one of that name (so a retry is safe).</summary>
    public Task<JsonObject> CreateDatasetAsync(JsonObject body, object? target, CancellationToken ct) =>
        Call("create dataset", HttpMethod.Post, "api/public/v2/datasets", null, body, target, idempotent: true, ct);

    /// <summary>One page of GET /api/public/dataset-items for a dataset.</summary>
    public async Task<(IReadOnlyList<JsonObject> Rows, int TotalPages)> ListDatasetItemsAsync(string datasetName, int page, int limit, CancellationToken ct)
    {
        var o = await Call("list dataset items", HttpMethod.Get, "api/public/dataset-items",
            Query(new[] { ("datasetName", (string?)datasetName), ("page", Num(page)), ("limit", Num(limit)) }), null, datasetName, idempotent: true, ct).ConfigureAwait(false);
        return (Rows(o, "list dataset items"), Int(o["meta"], "totalPages") ?? 0);
    }

    /// <summary>POST /api/public/dataset-items: items are upserted on their id, so a request that names one is safe to repeat.</summary>
    public Task<JsonObject> CreateDatasetItemAsync(JsonObject body, object? target, CancellationToken ct) =>
        Call("create dataset item", HttpMethod.Post, "api/public/dataset-items", null, body, target, idempotent: body["id"] is not null, ct);

    // ---------------------------------------------------------------- transport

    private static string? Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string? Query(IEnumerable<(string Name, string? Value)> parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? null : string.Join('&', given);
    }

    private static IReadOnlyList<JsonObject> Rows(JsonObject answer, string action) =>
        answer["data"] is JsonArray data
            ? data.OfType<JsonObject>().ToList()
            : throw new OpsException("LangfuseResponseInvalid", OpsErrorCategory.InvalidResult, $"The {action} answer has no data array.");

    internal static string? Str(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string?)v : null;

    private static int? Int(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<int>() : null;

    /// <summary>
    /// The one error funnel: every request goes through here. Langfuse's answers <c>{"message": ...}</c> with a status become
    /// LangfuseBadRequest (400, with Langfuse's message), LangfuseUnauthorized (401: the key pair is wrong, fatal),
    /// LangfuseForbidden (403), LangfuseNotFound (404), LangfuseMethodNotAllowed (405), LangfuseThrottled (429 after the
    /// retries), LangfuseServerError (5xx after the retries); transport failures are LangfuseUnreachable and LangfuseTimeout;
    /// an answer that is not a JSON object is LangfuseResponseInvalid. The caller's own cancellation stays an
    /// OperationCanceledException. The secret key is only in the Authorization header, never in a message.
    /// </summary>
    private async Task<JsonObject> Call(string action, HttpMethod method, string path, string? query, JsonObject? body, object? target, bool idempotent, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, query is null ? path : $"{path}?{query}");
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (idempotent) RetryHandler.MarkIdempotent(request);
        return await SendAsync(request, action, target, ct).ConfigureAwait(false);
    }

    protected override OpsException Failure(HttpStatusCode status, JsonNode? body, string text, string action, object? target)
    {
        var message = Str(body, "message") ?? (body is null && text.Length > 0 ? Shown(text) : null) ?? status.ToString();
        var code = (int)status;
        return code switch
        {
            400 => new OpsException("LangfuseBadRequest", OpsErrorCategory.InvalidArgument, $"Langfuse refused the request ({action}): {message}", target),
            401 => new OpsException("LangfuseUnauthorized", OpsErrorCategory.AuthenticationError,
                $"Langfuse at {BaseAddress} refused the key pair ({action}): {message}", target, isFatal: true)
            { RecommendedAction = "Check the public key (context LangfusePublicKey or LANGFUSE_PUBLIC_KEY) and the secret key (context LangfuseSecretKeyFile or LANGFUSE_SECRET_KEY) of this Langfuse project." },
            403 => new OpsException("LangfuseForbidden", OpsErrorCategory.PermissionDenied, $"Langfuse does not allow this key pair to {action}: {message}", target),
            404 => new OpsException("LangfuseNotFound", OpsErrorCategory.ObjectNotFound, $"Langfuse found nothing ({action}): {message}", target),
            405 => new OpsException("LangfuseMethodNotAllowed", OpsErrorCategory.InvalidOperation, $"Langfuse at {BaseAddress} does not serve this request ({action}): {message}", target),
            429 => new OpsException("LangfuseThrottled", OpsErrorCategory.LimitsExceeded, $"Langfuse kept throttling the requests ({action}) after the retries: {message}", target),
            _ => new OpsException("LangfuseServerError", OpsErrorCategory.ResourceUnavailable, $"Langfuse answered HTTP {code} ({action}) after the retries: {message}", target),
        };
    }

}

