using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// Prometheus' HTTP API (v1) through HttpClient with the shared RetryHandler. Every request goes through
/// <see cref="CallAsync"/>, the one error funnel:
/// <list type="bullet">
/// <item>Prometheus' error answers (<c>{"status":"error","errorType":"bad_data","error":"..."}</c>) become OpsExceptions
/// whose id names the error type (<see cref="ErrorIds"/>: PromBadData, PromExecution, PromTimeout, PromCanceled,
/// PromInternal, PromUnavailable, PromNotFound) with Prometheus' message;</item>
/// <item>a server that cannot be reached or drops the connection is PrometheusUnreachable, one that does not answer in time
/// PrometheusTimeout, one that is not Prometheus (HTML, a 404 page) PrometheusApiNotFound or PrometheusResponseInvalid,
/// credentials a proxy refused PrometheusUnauthorized / PrometheusForbidden;</item>
/// <item>the answer's warnings are told to the listener as Warning notes, its infos as Verbose notes;</item>
/// <item>the caller's own cancellation stays an OperationCanceledException.</item>
/// </list>
/// Reads are retried (connection failures, 5xx, 429) by the RetryHandler, except a query Prometheus itself gave up on
/// (errorType timeout or canceled, HTTP 503): repeating it would only wait as long again.
/// </summary>
public sealed class PromClient : IDisposable
{
    /// <summary>The largest answer read into memory (64 MiB); a larger one is PrometheusResponseTooLarge.</summary>
    public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

    /// <summary>Prometheus' error types and the ids and categories they become.</summary>
    public static IReadOnlyDictionary<string, (string Id, OpsErrorCategory Category)> ErrorIds { get; } =
        new Dictionary<string, (string, OpsErrorCategory)>(StringComparer.OrdinalIgnoreCase)
        {
            ["bad_data"] = ("PromBadData", OpsErrorCategory.InvalidArgument),
            ["execution"] = ("PromExecution", OpsErrorCategory.InvalidOperation),
            ["timeout"] = ("PromTimeout", OpsErrorCategory.OperationTimeout),
            ["canceled"] = ("PromCanceled", OpsErrorCategory.OperationStopped),
            ["internal"] = ("PromInternal", OpsErrorCategory.NotSpecified),
            ["unavailable"] = ("PromUnavailable", OpsErrorCategory.ResourceUnavailable),
            ["not_found"] = ("PromNotFound", OpsErrorCategory.ObjectNotFound),
        };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private int _disposed;

    public PromClient(HttpClient http, bool ownsHttp = false)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    public static PromClient Create(PromTarget target)
    {
        var inner = target.InnerHandlerForTests ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All };
        var retry = new RetryHandler(target.RetryPolicy, new FinalAnswerHandler { InnerHandler = inner }) { OnRetry = target.OnRetry };
        var baseUrl = target.Url.AbsoluteUri.EndsWith('/') ? target.Url : new Uri(target.Url.AbsoluteUri + "/");
        var http = new HttpClient(retry) { BaseAddress = baseUrl, Timeout = target.RequestTimeout };
        if (!string.IsNullOrEmpty(target.BearerToken))
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", target.BearerToken);
        else if (!string.IsNullOrEmpty(target.Username))
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(target.Username + ":" + (target.Password ?? ""))));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return new PromClient(http, ownsHttp: true);
    }

    /// <summary>The server's base URL (with its path prefix, ending in '/').</summary>
    public Uri? BaseAddress => _http.BaseAddress;

    /// <summary>The largest answer body read into memory; a larger one is PrometheusResponseTooLarge.</summary>
    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>Queries longer than this (encoded) go as a form POST instead of a GET (Prometheus accepts both; URLs have limits).</summary>
    public int MaxQueryStringLength { get; init; } = 4000;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttp) _http.Dispose();
    }

    /// <summary>A read: GET <paramref name="path"/> (relative to the base URL, e.g. "api/v1/query") with the parameters,
    /// sent as a form POST when the query string would be long. Parameters whose value is null are left out; a name may repeat
    /// (<c>match[]</c>).</summary>
    public async Task<PromAnswer> GetAsync(string path, IEnumerable<KeyValuePair<string, string?>>? parameters, object? target,
        IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var pairs = (parameters ?? Array.Empty<KeyValuePair<string, string?>>()).Where(p => p.Value is not null)
            .Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)).ToList();
        var query = string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        if (query.Length <= MaxQueryStringLength)
            return await CallAsync(HttpMethod.Get, query.Length == 0 ? path : path + "?" + query, null, target, events, ct).ConfigureAwait(false);
        return await CallAsync(HttpMethod.Post, path, new FormUrlEncodedContent(pairs), target, events, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The one error funnel (see the class). <paramref name="content"/> is sent as is; every request here is a read or
    /// safe to repeat, so it is marked idempotent for the retry handler.
    /// </summary>
    public async Task<PromAnswer> CallAsync(HttpMethod method, string path, HttpContent? content, object? target, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        RetryHandler.MarkIdempotent(request);
        var what = path.Split('?')[0];
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(what, target, ex, "could not be reached");
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(what, target, ex, "dropped the connection");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is TimeoutException or OperationCanceledException)
        {
            throw Timeout(what, target, ex);
        }
        using (response)
        {
            var text = await AwsBody.ReadAsync(response, MaxResponseBytes, _http.Timeout, new AwsBody.Failures(
                (size, known) => new OpsException("PrometheusResponseTooLarge", OpsErrorCategory.LimitsExceeded,
                    $"Prometheus' answer to {what} is larger than {MaxResponseBytes / (1024 * 1024.0):0.#} MiB ({size:N0} bytes{(known ? "" : " read so far")}); " +
                    "it was not read. Narrow the query (fewer series, a shorter range or a larger step).", target),
                ex => Timeout(what, target, ex),
                ex => Unreachable(what, target, ex, "dropped the connection while answering")), ct).ConfigureAwait(false);
            JsonObject? body = null;
            try { body = JsonNode.Parse(text) as JsonObject; }
            catch (JsonException) { }
            var status = PromJson.Str(body, "status");
            if (status == "error" || (!response.IsSuccessStatusCode && body is not null && PromJson.Str(body, "errorType") is not null))
                throw FromPrometheus(body!, OriginalStatus(response), what, target);
            if (!response.IsSuccessStatusCode)
                throw FromHttp(response.StatusCode, text, what, target);
            if (body is null || status != "success")
                throw new OpsException("PrometheusResponseInvalid", OpsErrorCategory.InvalidResult,
                    $"The answer to {what} from {_http.BaseAddress} is not a Prometheus API answer: {Shown(text)}", target)
                {
                    RecommendedAction = "Check that the URL is Prometheus' own (its API is under /api/v1/), not a page in front of it.",
                };
            var warnings = PromJson.Strings(body["warnings"]);
            var infos = PromJson.Strings(body["infos"]);
            foreach (var w in warnings) events.Warning($"Prometheus: {w}");
            foreach (var i in infos) events.Verbose($"Prometheus: {i}");
            return new PromAnswer(body["data"], warnings, infos);
        }
    }

    private OpsException FromPrometheus(JsonObject body, int status, string what, object? target)
    {
        var type = PromJson.Str(body, "errorType") ?? "";
        var message = PromJson.Str(body, "error") is { Length: > 0 } m ? m : $"{what} failed (HTTP {status})";
        var (id, category) = ErrorIds.TryGetValue(type, out var known) ? known : ("PromError", OpsErrorCategory.NotSpecified);
        return new OpsException(id, category, $"Prometheus: {message}", target)
        {
            RecommendedAction = id switch
            {
                "PromTimeout" => "Narrow the query (a shorter range, a larger step, fewer series) or give a longer -Timeout.",
                "PromBadData" => "Check the expression and the parameters (PromQL syntax, times, step).",
                _ => null,
            },
        };
    }

    private OpsException FromHttp(HttpStatusCode code, string text, string what, object? target) => (int)code switch
    {
        401 => new OpsException("PrometheusUnauthorized", OpsErrorCategory.AuthenticationError,
            $"{_http.BaseAddress} refused the credentials (401) for {what}: {Shown(text)}", target, isFatal: true)
        {
            RecommendedAction = "Give the credentials the proxy in front of Prometheus expects (-Credential or a bearer token).",
        },
        403 => new OpsException("PrometheusForbidden", OpsErrorCategory.PermissionDenied, $"{_http.BaseAddress} forbade {what} (403): {Shown(text)}", target),
        404 => new OpsException("PrometheusApiNotFound", OpsErrorCategory.ObjectNotFound,
            $"There is no Prometheus API {what} at {_http.BaseAddress} (404): {Shown(text)}", target)
        {
            RecommendedAction = "Check the Prometheus URL (-PrometheusUrl, or ServiceUrls['prometheus'] in the context), including any path prefix.",
        },
        _ => new OpsException("PrometheusHttpError", OpsErrorCategory.NotSpecified, $"Prometheus answered {what} with HTTP {(int)code}: {Shown(text)}", target),
    };

    private OpsException Unreachable(string what, object? target, Exception ex, string how) =>
        new("PrometheusUnreachable", OpsErrorCategory.ConnectionError,
            $"Prometheus at {_http.BaseAddress} {how} ({what}): {ExceptionSanitizer.RedactMessage(ex.Message)}", target, ExceptionSanitizer.Sanitize(ex))
        {
            RecommendedAction = "Check the Prometheus URL (-PrometheusUrl, or ServiceUrls['prometheus'] in the context) and that Prometheus is running.",
        };

    private OpsException Timeout(string what, object? target, Exception ex) =>
        new("PrometheusTimeout", OpsErrorCategory.OperationTimeout,
            $"Prometheus at {_http.BaseAddress} did not answer {what} within " +
            $"{(_http.Timeout == System.Threading.Timeout.InfiniteTimeSpan ? "the time allowed" : Waiting.Waiter.Format(_http.Timeout))} (retries included).",
            target, ExceptionSanitizer.Sanitize(ex));

    private static string Shown(string text)
    {
        var t = text.Trim();
        return t.Length > 200 ? t[..200] + "..." : t;
    }

    private const string OriginalStatusHeader = "X-RealEstateOps-Prometheus-Status";

    private static int OriginalStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues(OriginalStatusHeader, out var v) && int.TryParse(v.FirstOrDefault(), out var s) ? s : (int)response.StatusCode;

    /// <summary>
    /// Inside the retry handler: a 503 that is Prometheus giving up on a query (errorType timeout or canceled) is an answer,
    /// not a busy server; it is handed on as 422 (its real status in a header) so that it is not repeated. Other 503s
    /// (Prometheus starting, a proxy) are retried as usual.
    /// </summary>
    private sealed class FinalAnswerHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = await base.SendAsync(request, ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Content.Headers.ContentType?.MediaType != "application/json" ||
                response.Content.Headers.ContentLength is > 1 << 20) return response;
            await response.Content.LoadIntoBufferAsync(1 << 20).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            try
            {
                if (JsonNode.Parse(text) is JsonObject o && PromJson.Str(o, "errorType") is "timeout" or "canceled")
                {
                    response.StatusCode = HttpStatusCode.UnprocessableEntity;
                    response.Headers.TryAddWithoutValidation(OriginalStatusHeader, "503");
                }
            }
            catch (JsonException) { }
            return response;
        }
    }
}
