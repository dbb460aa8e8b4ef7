using Amazon.Runtime;
using Amazon.S3;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// AmazonS3Client for a resolved target: path-style addressing for custom endpoints (the sandbox,
/// S3-compatible stores), and retries in one place, our RetryHandler, with the SDK's own retries off.
/// </summary>
/// <remarks>
/// What a client carries of its caller (the retry policy, the retry callback that reports to one command's
/// events) lives and dies with that client: the SDK's process-wide HttpClient cache is not used,
/// so a completer's single-attempt client can never lend its policy to a later command, and no callback
/// outlives the command that gave it. Only the connection pool, which holds no policy and no identity
/// (every request is signed on its own), is shared by all clients of the process.
/// </remarks>
public static class S3ClientFactory
{
    /// <summary>How long one attempt may wait for the response headers before it counts as timed out (and is retried).</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromMinutes(5);

    public static AmazonS3Client Create(AwsTarget target, Http.RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null,
        TimeSpan? attemptTimeout = null)
    {
        var config = new AmazonS3Config
        {
            RegionEndpoint = target.RegionEndpoint,
            MaxErrorRetry = 0,
            HttpClientFactory = new RetryingHttpClientFactory(policy, onRetry, attemptTimeout ?? DefaultAttemptTimeout),
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (target.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.Value;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = target.Region.Value;
        }
        return new AmazonS3Client(target.Credentials, config);
    }

    /// <summary>
    /// S3's POSTs that are safe to repeat: DeleteObjects (deleting a key or version twice has the same
    /// outcome); CreateMultipartUpload (?uploads: a repeat after a lost answer leaves at most an unused
    /// upload, which the bucket's AbortIncompleteMultipartUpload rule removes, as AWS's own SDKs accept when
    /// they retry it); CompleteMultipartUpload (?uploadId: a repeat that finds the upload already completed
    /// answers NoSuchUpload, which S3ArtifactStore reconciles by checking the object).
    /// </summary>
    private sealed class MarkIdempotentPosts(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && (IsDeleteObjects(request.RequestUri) || IsMultipartCreateOrComplete(request.RequestUri))) RetryHandler.MarkIdempotent(request);
            return base.SendAsync(request, cancellationToken);
        }

        private static bool IsMultipartCreateOrComplete(Uri? uri) =>
            uri is not null && uri.Query.TrimStart('?').Split('&').Any(p => p is "uploads" or "uploads=" || p.StartsWith("uploadId=", StringComparison.Ordinal));

        private static bool IsDeleteObjects(Uri? uri) =>
            uri is not null && uri.Query.TrimStart('?').Split('&').Any(p => p == "delete" || p == "delete=" || p.StartsWith("delete=", StringComparison.Ordinal));
    }

    /// <summary>
    /// One attempt that gets no response headers within the timeout is cancelled as a timeout (a
    /// TaskCanceledException whose inner exception is a TimeoutException, like HttpClient's own), which
    /// the RetryHandler retries when that is safe. The caller's own cancellation passes through untouched.
    /// </summary>
    private sealed class AttemptTimeout(TimeSpan timeout, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                return await base.SendAsync(request, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TaskCanceledException($"S3 sent no answer within {timeout.TotalSeconds:0.###} s.", new TimeoutException($"S3 sent no answer within {timeout.TotalSeconds:0.###} s.", ex));
            }
        }
    }

    /// <summary>The process's S3 connection pool: shared by every client, never disposed with one of them.</summary>
    private sealed class SharedConnections : HttpMessageHandler
    {
        private static readonly HttpMessageInvoker Pool = new(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 256,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        }, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Pool.SendAsync(request, cancellationToken);
    }

    private sealed class RetryingHttpClientFactory : HttpClientFactory
    {
        private readonly Http.RetryPolicy? _policy;
        private readonly Action<HttpRequestMessage, int, string, TimeSpan>? _onRetry;
        private readonly TimeSpan _attemptTimeout;

        public RetryingHttpClientFactory(Http.RetryPolicy? policy, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry, TimeSpan attemptTimeout)
        {
            _policy = policy;
            _onRetry = onRetry;
            _attemptTimeout = attemptTimeout;
        }

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new MarkIdempotentPosts(new RetryHandler(_policy, new AttemptTimeout(_attemptTimeout, new SharedConnections())) { OnRetry = _onRetry }))
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };

        // Not the SDK's process-wide cache (keyed by one string for every client): each client keeps its own
        // HttpClient, with its own policy and callback, and disposes it with itself.
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }
}
