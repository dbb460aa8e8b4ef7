using Amazon.Runtime;
using Amazon.S3;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Storage;

/// <summary>
/// AmazonS3Client for a resolved target: path-style addressing for custom endpoints (the sandbox,
/// S3-compatible stores), and retries in one place, our RetryHandler, with the SDK's own retries off.
/// </summary>
public static class S3ClientFactory
{
    public static AmazonS3Client Create(AwsTarget target, Http.RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null)
    {
        var config = new AmazonS3Config
        {
            RegionEndpoint = target.RegionEndpoint,
            MaxErrorRetry = 0,
            HttpClientFactory = new RetryingHttpClientFactory(policy, onRetry),
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
    /// outcome). CreateMultipartUpload and CompleteMultipartUpload are not marked: a repeat would leave a
    /// second upload or find the first one completed.
    /// </summary>
    private sealed class MarkIdempotentPosts(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && IsDeleteObjects(request.RequestUri)) RetryHandler.MarkIdempotent(request);
            return base.SendAsync(request, cancellationToken);
        }

        private static bool IsDeleteObjects(Uri? uri) =>
            uri is not null && uri.Query.TrimStart('?').Split('&').Any(p => p == "delete" || p == "delete=" || p.StartsWith("delete=", StringComparison.Ordinal));
    }

    private sealed class RetryingHttpClientFactory : HttpClientFactory
    {
        private readonly Http.RetryPolicy? _policy;
        private readonly Action<HttpRequestMessage, int, string, TimeSpan>? _onRetry;

        public RetryingHttpClientFactory(Http.RetryPolicy? policy, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry)
        {
            _policy = policy;
            _onRetry = onRetry;
        }

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new MarkIdempotentPosts(new RetryHandler(_policy, new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            }) { OnRetry = _onRetry }))
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
        public override string GetConfigUniqueString(IClientConfig clientConfig) => "RealEstateOps.Retrying";
    }
}
