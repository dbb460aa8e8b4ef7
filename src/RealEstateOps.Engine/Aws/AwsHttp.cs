using Amazon.Runtime;
using Amazon.Runtime.Signing;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Aws;

/// <summary>
/// HTTP clients for AWS services reached without their SDK package (RDS Query, EKS REST-JSON):
/// our one RetryHandler outside, SigV4 signing inside it (so every retry is signed afresh).
/// </summary>
public static class AwsHttp
{
    public static HttpClient CreateSignedClient(AwsTarget target, Http.RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null)
    {
        var signer = new SigV4SigningHandler(target.Credentials, target.RegionEndpoint, target.Service,
            new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = System.Net.DecompressionMethods.All });
        var retry = new RetryHandler(policy, signer) { OnRetry = onRetry };
        return new HttpClient(retry) { BaseAddress = target.BaseUri, Timeout = TimeSpan.FromMinutes(5) };
    }
}
