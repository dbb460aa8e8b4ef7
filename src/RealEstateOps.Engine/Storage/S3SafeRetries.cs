using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Storage;

/// <summary>
/// Marks the S3 POSTs that are safe to repeat, so that the shared RetryHandler retries them on a 5xx
/// or a dropped connection as it does PUTs: CreateMultipartUpload (?uploads: a repeat only starts
/// another upload, which is aborted or expires), CompleteMultipartUpload (?uploadId: completing the
/// same parts again gives the same object) and DeleteObjects (?delete).
/// </summary>
internal sealed class S3SafeRetries : DelegatingHandler
{
    public S3SafeRetries(HttpMessageHandler inner) : base(inner) { }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && request.RequestUri?.Query is { Length: > 1 } query)
        {
            var names = query.TrimStart('?').Split('&').Select(p => p.Split('=')[0]);
            if (names.Any(n => n is "uploads" or "uploadId" or "delete")) RetryHandler.MarkIdempotent(request);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
