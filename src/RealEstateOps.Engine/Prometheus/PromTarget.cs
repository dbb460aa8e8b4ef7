using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// Where a Prometheus command points: the server's base URL (a path prefix is kept: a Prometheus served under
/// <c>/prometheus/</c> behind a proxy works), optional basic auth or bearer token (for a proxy in front of it), the
/// request timeout and the retry policy.
/// </summary>
public sealed class PromTarget
{
    public required Uri Url { get; init; }
    public string? Username { get; init; }
    /// <summary>Basic auth password; sent in the Authorization header only, never shown.</summary>
    public string? Password { get; init; }
    /// <summary>Bearer token; sent in the Authorization header only, never shown.</summary>
    public string? BearerToken { get; init; }
    /// <summary>How long one request may take, retries included, before it is PrometheusTimeout (default 2 minutes).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public RetryPolicy? RetryPolicy { get; init; }
    /// <summary>Told before each retry: attempt, reason, delay (for verbose output).</summary>
    public Action<HttpRequestMessage, int, string, TimeSpan>? OnRetry { get; init; }

    /// <summary>Tests only: the handler innermost in the client's pipeline (it may answer without the network).</summary>
    internal HttpMessageHandler? InnerHandlerForTests { get; init; }
}
