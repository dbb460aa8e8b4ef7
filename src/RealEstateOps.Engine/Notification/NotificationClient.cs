using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Notification;

/// <summary>
/// Posts notices to webhooks and PagerDuty's Events API over HttpClient with the shared <see cref="RetryHandler"/> (429 and
/// 503 retried, honouring Retry-After; a POST with a PagerDuty dedup key is idempotent, so 5xx are retried for it too).
/// The one error funnel: transport failures are NotificationUnreachable and NotificationTimeout; the caller's cancellation
/// stays an OperationCanceledException. The URL is the secret of a webhook, so no message and no inner exception ever
/// holds it (HttpRequestException's message names the URI): failures name the channel, and inner exceptions are replaced
/// by a <see cref="SanitizedException"/> that keeps only the kind of failure.
/// </summary>
public sealed class NotificationClient : IDisposable
{
    /// <summary>The most of an answer read (64 KiB): webhooks answer "ok" or a short error.</summary>
    public const long MaxResponseBytes = 64 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private int _disposed;

    public NotificationClient(HttpClient http, bool ownsHttp = false)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <param name="timeout">How long one notice may take on one channel, retries included (default 30 s).</param>
    public static NotificationClient Create(RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null,
        TimeSpan? timeout = null, HttpMessageHandler? inner = null)
    {
        var retry = new RetryHandler(policy, inner ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { OnRetry = onRetry };
        var http = new HttpClient(retry) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RealEstateOps", "1.0"));
        return new NotificationClient(http, ownsHttp: true);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttp) _http.Dispose();
    }

    /// <summary>POSTs <paramref name="body"/> as JSON to <paramref name="url"/>; the answer whatever its status (the caller judges it).</summary>
    /// <param name="channel">The channel's name: what messages name instead of the URL.</param>
    /// <param name="secret">The secret in play (the URL or the routing key): removed from any message that would echo it.</param>
    public async Task<NotificationAnswer> PostAsync(string channel, Uri url, JsonObject body, bool idempotent, string? secret, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (idempotent) RetryHandler.MarkIdempotent(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(channel, ex, ex.HttpRequestError.ToString());
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(channel, ex, "the connection was dropped");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is TimeoutException || ex is OperationCanceledException))
        {
            throw Timeout(channel, ex);
        }
        using (response)
        {
            var text = await AwsBody.ReadAsync(response, MaxResponseBytes, _http.Timeout, new AwsBody.Failures(
                (size, known) => new OpsException("NotificationResponseTooLarge", OpsErrorCategory.LimitsExceeded,
                    $"Channel '{channel}' answered with more than {MaxResponseBytes / 1024} KiB ({size:N0} bytes{(known ? "" : " read so far")}); it was not read.", channel),
                ex => Timeout(channel, ex),
                ex => Unreachable(channel, ex, "the connection was dropped while answering")), ct).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(secret)) text = text.Replace(secret, Redaction.Mask, StringComparison.Ordinal);
            return new NotificationAnswer((int)response.StatusCode, text.Trim());
        }
    }

    private OpsException Timeout(string channel, Exception ex) =>
        new("NotificationTimeout", OpsErrorCategory.OperationTimeout,
            $"Channel '{channel}' did not answer within {(_http.Timeout == System.Threading.Timeout.InfiniteTimeSpan ? "the time allowed" : Waiting.Waiter.Format(_http.Timeout))} (retries included).",
            channel, Clean(ex, "timed out"));

    private static OpsException Unreachable(string channel, Exception ex, string what) =>
        new("NotificationUnreachable", OpsErrorCategory.ConnectionError,
            $"Channel '{channel}' could not be reached ({Describe(ex, what)}).", channel, Clean(ex, what));

    /// <summary>What went wrong, in words that cannot hold the URL: the failure's kind and the socket's error.</summary>
    private static string Describe(Exception ex, string what)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is System.Net.Sockets.SocketException socket) return $"{what}: {socket.SocketErrorCode}";
        return what;
    }

    /// <summary>The inner exception as a type name and our own words: HttpRequestException's message holds the URI.</summary>
    private static SanitizedException Clean(Exception ex, string what) =>
        new(ex.GetType().FullName ?? ex.GetType().Name, ex is HttpRequestException { StatusCode: { } code } ? (int)code : null, Describe(ex, what));
}
