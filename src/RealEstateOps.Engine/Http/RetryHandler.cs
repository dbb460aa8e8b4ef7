using System.Net;
using System.Text.RegularExpressions;

namespace RealEstateOps.Engine.Http;

/// <summary>
/// The one place where HTTP calls are retried: throttling (429, 503, throttling error codes in the
/// body), server errors (500, 502, 504), timeouts and dropped connections, with capped exponential
/// backoff and jitter, honouring Retry-After. A request the server may have acted on (a 5xx or a
/// dropped connection) is retried only when it is idempotent: GET/HEAD/PUT/DELETE/OPTIONS, or marked
/// with <see cref="MarkIdempotent"/> (a create with a client token, a read sent as POST).
/// A request body is sent again only when it can be read again: in-memory content as is, a stream
/// (AWSSDK.S3's PutObject/UploadPart bodies, aws-chunked or not) buffered before the first attempt
/// when its length is known and at most <see cref="RetryPolicy.MaxReplayBufferBytes"/>; a larger or
/// unsized stream is sent once, and its failure is returned to the caller, never replayed half-read.
/// </summary>
public sealed partial class RetryHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<bool> IdempotentKey = new("RealEstateOps.Idempotent");
    private static readonly HttpRequestOptionsKey<int> AttemptsKey = new("RealEstateOps.Attempts");

    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;

    public RetryHandler(RetryPolicy? policy = null, HttpMessageHandler? inner = null, TimeProvider? time = null)
    {
        _policy = policy ?? RetryPolicy.Default;
        _time = time ?? TimeProvider.System;
        InnerHandler = inner ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
    }

    /// <summary>Called before each retry: attempt number, the reason and the delay (for verbose output).</summary>
    public Action<HttpRequestMessage, int, string, TimeSpan>? OnRetry { get; set; }

    public static void MarkIdempotent(HttpRequestMessage request) => request.Options.Set(IdempotentKey, true);

    private static readonly HttpRequestOptionsKey<bool> ThrottleNeedsRetryAfterKey = new("RealEstateOps.ThrottleNeedsRetryAfter");

    /// <summary>
    /// For requests where a 429 without Retry-After is an answer, not throttling (a Kubernetes eviction
    /// refused by a disruption budget): such a 429 is returned at once; throttling (with Retry-After) is still retried.
    /// </summary>
    public static void MarkThrottleNeedsRetryAfter(HttpRequestMessage request) => request.Options.Set(ThrottleNeedsRetryAfterKey, true);

    /// <summary>How many attempts the request took (1 when it was not retried).</summary>
    public static int AttemptsOf(HttpRequestMessage request) => request.Options.TryGetValue(AttemptsKey, out var n) ? n : 0;

    [GeneratedRegex(@"<Code>\s*([A-Za-z]+)\s*</Code>|""(?:__type|code|Code)""\s*:\s*""(?:[^""#]*#)?([A-Za-z]+)""")]
    private static partial Regex ErrorCode();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var idempotent = IsIdempotent(request);
        var replayable = await MakeReplayableAsync(request.Content, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            request.Options.Set(AttemptsKey, attempt);
            HttpResponseMessage? response = null;
            string reason;
            var safeToRetry = true;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                reason = await RetryReasonAsync(response, cancellationToken).ConfigureAwait(false) ?? "";
                if (reason.Length == 0) return response;
                if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is null &&
                    request.Options.TryGetValue(ThrottleNeedsRetryAfterKey, out var needsRetryAfter) && needsRetryAfter) return response;
                safeToRetry = replayable && (idempotent || IsThrottle(response.StatusCode, reason));
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"connection failed: {ex.Message}";
                // Refused before anything was sent: always safe. Dropped mid-request: only if idempotent and the body can be sent again.
                // A server whose TLS certificate is not trusted answers the same way every time: not retried.
                safeToRetry = ex.HttpRequestError == HttpRequestError.ConnectionError || (idempotent && replayable);
                if (attempt >= _policy.MaxAttempts || !safeToRetry || ex.HttpRequestError == HttpRequestError.SecureConnectionError) throw;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                reason = "request timed out";
                safeToRetry = idempotent && replayable;
                if (attempt >= _policy.MaxAttempts || !safeToRetry) throw new TimeoutException("The request timed out.", ex);
            }
            catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"connection dropped: {ex.Message}";
                safeToRetry = idempotent && replayable;
                if (attempt >= _policy.MaxAttempts || !safeToRetry) throw;
            }

            if (response is not null && (attempt >= _policy.MaxAttempts || !safeToRetry)) return response;

            var delay = _policy.Backoff(attempt);
            if (response?.Headers.RetryAfter is { } retryAfter)
            {
                var hinted = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - _time.GetUtcNow() : TimeSpan.Zero);
                if (hinted > delay) delay = hinted < _policy.MaxDelay ? hinted : _policy.MaxDelay;
            }
            response?.Dispose();
            OnRetry?.Invoke(request, attempt, reason, delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether the body can be sent more than once: none or in memory already; a stream is buffered
    /// (read once, then served from memory) when its length is known and small enough.
    /// </summary>
    private async Task<bool> MakeReplayableAsync(HttpContent? content, CancellationToken ct)
    {
        if (content is null or ByteArrayContent or ReadOnlyMemoryContent) return true;
        if (content.Headers.ContentLength is not { } length || length > _policy.MaxReplayBufferBytes) return false;
        await content.LoadIntoBufferAsync(length).ConfigureAwait(false);
        return true;
    }

    private static bool IsIdempotent(HttpRequestMessage request) =>
        (request.Options.TryGetValue(IdempotentKey, out var marked) && marked) ||
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Put ||
        request.Method == HttpMethod.Delete || request.Method == HttpMethod.Options;

    private static bool IsThrottle(HttpStatusCode status, string reason) =>
        status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.ServiceUnavailable || reason.StartsWith("throttled", StringComparison.Ordinal);

    /// <summary>The most of a 400/403 body read to look for a throttling code.</summary>
    internal const int MaxErrorBodyBytes = 1 << 20;

    /// <summary>Why this response should be retried, or null when it should not.</summary>
    private static async Task<string?> RetryReasonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (status is 429 or 500 or 502 or 503 or 504) return $"HTTP {status}";
        // REST-JSON services (EKS, ...) may name the code only in a header: "ThrottlingException" or "ThrottlingException:http://...".
        if (status is 400 or 403 && response.Headers.TryGetValues("x-amzn-ErrorType", out var types) &&
            types.FirstOrDefault()?.Split(':')[0].Trim() is { Length: > 0 } headerCode && RetryPolicy.ThrottlingCodes.Contains(headerCode))
            return $"throttled ({headerCode})";
        if (status is 400 or 403 && response.Content is not null && response.Content.Headers.ContentLength is null or <= MaxErrorBodyBytes)
        {
            // AWS reports throttling as 400 with a code in the body; read it (errors are small: a larger body is no
            // throttling answer and is left unread) and keep it readable.
            try { await response.Content.LoadIntoBufferAsync(MaxErrorBodyBytes).ConfigureAwait(false); }
            catch (HttpRequestException) { return null; }
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            foreach (Match m in ErrorCode().Matches(body))
            {
                var code = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                if (RetryPolicy.ThrottlingCodes.Contains(code)) return $"throttled ({code})";
            }
        }
        return null;
    }
}
