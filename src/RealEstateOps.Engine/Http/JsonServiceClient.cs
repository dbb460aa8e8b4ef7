using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Http;

/// <summary>
/// The transport half of a JSON REST client (Langfuse, Argo CD), so that each client keeps only its endpoints and its own
/// error mapping (<see cref="Failure"/>): it owns the HttpClient (with <see cref="RetryHandler"/> in its chain), sends one
/// request, names transport failures with the service's ids (<c>&lt;Prefix&gt;Unreachable</c> when it cannot be reached or
/// drops the connection, <c>&lt;Prefix&gt;Timeout</c>), reads the answer bounded (<see cref="AwsBody"/>, at most
/// <see cref="MaxResponseBytes"/>: <c>&lt;Prefix&gt;ResponseTooLarge</c>), hands a non-success status to
/// <see cref="Failure"/>, and refuses an answer that is not a JSON object (<c>&lt;Prefix&gt;ResponseInvalid</c>). The
/// caller's own cancellation stays an OperationCanceledException. Credentials live in the HttpClient's headers only;
/// <see cref="Scrub"/> removes them from any text that might carry them.
/// </summary>
public abstract class JsonServiceClient : IDisposable
{
    /// <summary>The largest answer read into memory (32 MiB).</summary>
    public const long MaxResponseBytes = 32L * 1024 * 1024;

    private readonly bool _ownsHttp;
    private readonly string _service;
    private readonly string _idPrefix;
    private int _disposed;

    /// <param name="service">The service's name in messages ("Argo CD").</param>
    /// <param name="idPrefix">The prefix of its error ids ("ArgoCd").</param>
    protected JsonServiceClient(HttpClient http, bool ownsHttp, string service, string idPrefix)
    {
        Http = http;
        _ownsHttp = ownsHttp;
        _service = service;
        _idPrefix = idPrefix;
    }

    protected HttpClient Http { get; }

    public Uri? BaseAddress => Http.BaseAddress;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttp) Http.Dispose();
    }

    /// <summary>The service's error for a non-success answer: its body parsed (null when not JSON) and as text.</summary>
    protected abstract OpsException Failure(HttpStatusCode status, JsonNode? body, string text, string action, object? target);

    /// <summary>Removes the client's credentials from text the server or the transport produced; nothing to remove by default.</summary>
    protected virtual string Scrub(string text) => text;

    /// <summary>Sends <paramref name="request"/> and returns its answer as a JSON object (an empty answer is an empty object when <paramref name="emptyIsObject"/>).</summary>
    protected async Task<JsonObject> SendAsync(HttpRequestMessage request, string action, object? target, CancellationToken ct, bool emptyIsObject = false)
    {
        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(action, target, ex, dropped: ex.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError));
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(action, target, ex, dropped: true);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is TimeoutException || ex is OperationCanceledException))
        {
            throw Timeout(action, target, ex);
        }
        using (response)
        {
            var text = await AwsBody.ReadAsync(response, MaxResponseBytes, Http.Timeout, new AwsBody.Failures(
                (size, known) => new OpsException(_idPrefix + "ResponseTooLarge", OpsErrorCategory.LimitsExceeded,
                    $"The {action} answer is larger than {MaxResponseBytes / (1024 * 1024)} MiB ({size:N0} bytes{(known ? "" : " read so far")}); it was not read.", target),
                ex => Timeout(action, target, ex),
                ex => Unreachable(action, target, ex, dropped: true)), ct).ConfigureAwait(false);
            JsonNode? parsed = null;
            try { parsed = text.Length == 0 ? null : JsonNode.Parse(text); }
            catch (JsonException) { }
            if (!response.IsSuccessStatusCode) throw Failure(response.StatusCode, parsed, text, action, target);
            if (emptyIsObject && text.Length == 0) return new JsonObject();
            return parsed as JsonObject ?? throw new OpsException(_idPrefix + "ResponseInvalid", OpsErrorCategory.InvalidResult,
                $"The {action} answer (HTTP {(int)response.StatusCode}) is not a JSON object: {Scrub(Shown(text))}", target);
        }
    }

    private OpsException Timeout(string action, object? target, Exception ex) =>
        new(_idPrefix + "Timeout", OpsErrorCategory.OperationTimeout,
            $"{_service} at {Http.BaseAddress} did not answer ({action}) within {(Http.Timeout == System.Threading.Timeout.InfiniteTimeSpan ? "the time allowed" : Waiting.Waiter.Format(Http.Timeout))} (retries included).",
            target, ExceptionSanitizer.Sanitize(ex));

    private OpsException Unreachable(string action, object? target, Exception ex, bool dropped) =>
        new(_idPrefix + "Unreachable", OpsErrorCategory.ConnectionError,
            (dropped ? $"{_service} at {Http.BaseAddress} dropped the connection while answering ({action}): "
                     : $"{_service} at {Http.BaseAddress} could not be reached ({action}): ") + Scrub(ex.Message), target, ExceptionSanitizer.Sanitize(ex));

    /// <summary>The start of an answer's text, for a message.</summary>
    protected static string Shown(string text) => text.Length > 200 ? text[..200] + "..." : text;
}
