using Microsoft.AspNetCore.Routing;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.S3;

/// <summary>
/// S3's REST-XML API, path-style: buckets in several regions, versioning with delete markers,
/// objects (get/put/head/delete/copy, with versionId), listing (V2 and versions) with paging,
/// multipart upload (and part copy), aws-chunked uploads with trailing checksums, bucket
/// configuration (versioning, replication, lifecycle, public access block, encryption). The order of a version listing's
/// entries can be switched to the one some S3-compatible servers use (/_sandbox/s3/version-order).
/// Requests are S3's when their SigV4 credential scope names the s3 service. This class only routes:
/// the state is <see cref="S3Store"/>, the wire format <see cref="S3Xml"/> and <see cref="S3Exception"/>, and the
/// operations <see cref="S3Buckets"/>, <see cref="S3Objects"/>, <see cref="S3Listing"/> and <see cref="S3Multipart"/>.
/// </summary>
public sealed class S3Service : ISandboxService
{
    /// <summary>An access key that may read but not change anything (to rehearse AccessDenied).</summary>
    public const string ReadOnlyAccessKey = Security.SandboxSecrets.ReadOnlyAccessKeyIdValue;

    private static readonly HashSet<string> ReadOperations = new(StringComparer.Ordinal)
    {
        "ListBuckets", "HeadBucket", "GetBucketVersioning", "GetBucketReplication", "GetBucketLifecycleConfiguration", "GetPublicAccessBlock",
        "GetBucketEncryption", "GetBucketLocation", "ListObjectVersions", "ListMultipartUploads", "ListObjectsV2", "ListObjects", "ListParts",
        "GetObject", "HeadObject",
    };

    private S3Buckets _buckets = null!;
    private S3Objects _objects = null!;
    private S3Listing _listing = null!;
    private S3Multipart _multipart = null!;

    public string Name => "s3";
    /// <summary>The buckets, on the sandbox clock (made when the service is mapped).</summary>
    public S3Store Store { get; private set; } = null!;
    /// <summary>Latency for chosen buckets, keys and operations (PUT/DELETE /_sandbox/s3/faults).</summary>
    public S3FaultRules Faults { get; } = new();
    public FaultKind ThrottleFault => new(503, "SlowDown");

    public bool Owns(HttpRequest request) => S3Scope.Of(request) is { Service: "s3" };

    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox)
    {
        Store = new S3Store(sandbox.Clock);
        _buckets = new S3Buckets(Store);
        _objects = new S3Objects(Store);
        _listing = new S3Listing(Store);
        _multipart = new S3Multipart(Store, _objects);
        S3Seed.Seed(Store, sandbox.Clock.UtcNow);
        endpoints.Map("/{**path}", HandleAsync).WithOrder(int.MaxValue);
        endpoints.MapPost(ControlEndpoints.Prefix + "/s3/populate", (Func<HttpContext, Task<IResult>>)PopulateAsync);
        endpoints.MapPut(ControlEndpoints.Prefix + "/s3/faults", (Func<HttpContext, Task<IResult>>)SetFaultsAsync);
        endpoints.MapGet(ControlEndpoints.Prefix + "/s3/faults", () => Results.Json(new { rules = Faults.Rules }, SandboxHost.Json));
        endpoints.MapDelete(ControlEndpoints.Prefix + "/s3/faults", () => { Faults.Clear(); return Results.NoContent(); });
        endpoints.MapGet(ControlEndpoints.Prefix + "/s3/version-order", () => Results.Json(new { order = _listing.VersionOrder.ToString() }, SandboxHost.Json));
        endpoints.MapPut(ControlEndpoints.Prefix + "/s3/version-order", (Func<HttpContext, Task<IResult>>)SetVersionOrderAsync);
    }

    public sealed record VersionOrderRequest(string? Order);

    /// <summary>
    /// Sets how ListObjectVersions orders a page: { "order": "Interleaved" } (S3's own, the default) or { "order": "VersionsFirst" }
    /// (every Version before every DeleteMarker, as some S3-compatible servers answer), for clients that must not depend on the order.
    /// </summary>
    private async Task<IResult> SetVersionOrderAsync(HttpContext http)
    {
        VersionOrderRequest? request;
        try { request = await http.Request.ReadFromJsonAsync<VersionOrderRequest>(SandboxHost.Json); }
        catch (System.Text.Json.JsonException) { request = null; }
        if (request?.Order is not { } text || !Enum.TryParse<S3VersionOrder>(text, ignoreCase: true, out var order) || !Enum.IsDefined(order))
            return Results.Json(new { code = "InvalidVersionOrder", message = $"order must be one of: {string.Join(", ", Enum.GetNames<S3VersionOrder>())}." }, SandboxHost.Json, statusCode: 400);
        _listing.VersionOrder = order;
        return Results.Json(new { order = order.ToString() }, SandboxHost.Json);
    }

    public sealed record FaultsRequest(List<S3FaultRule>? Rules);

    /// <summary>Replaces the S3 fault rules: { "rules": [ { "bucket", "operation", "key", "keyPrefix", "latencyMs" } ] }.</summary>
    private async Task<IResult> SetFaultsAsync(HttpContext http)
    {
        var request = await http.Request.ReadFromJsonAsync<FaultsRequest>(SandboxHost.Json);
        var rules = request?.Rules ?? new List<S3FaultRule>();
        if (rules.Any(r => !r.IsValid))
            return Results.Json(new { code = "InvalidS3Faults", message = "each rule needs a bucket and latencyMs 1..600000." }, SandboxHost.Json, statusCode: 400);
        Faults.Set(rules);
        return Results.Json(new { rules = Faults.Rules }, SandboxHost.Json);
    }

    /// <summary>Bulk data for benchmarks and rehearsals (not an S3 API): keys × versions of small objects, optionally deleted.</summary>
    public sealed record PopulateRequest(string Bucket, string Region = "us-east-1", string Prefix = "", int Keys = 0, int Versions = 1, bool Deleted = false, int Size = 64);

    private async Task<IResult> PopulateAsync(HttpContext http)
    {
        var p = await http.Request.ReadFromJsonAsync<PopulateRequest>(SandboxHost.Json);
        if (p is null || !S3Store.IsValidBucketName(p.Bucket) || p.Keys is < 0 or > 1_000_000 || p.Versions is < 1 or > 100 || p.Size is < 0 or > 1_048_576)
            return Results.Json(new { code = "InvalidPopulateRequest", message = "bucket must be a valid name; keys 0..1000000, versions 1..100, size 0..1048576." }, SandboxHost.Json, statusCode: 400);
        var bucket = Store.Populate(p.Bucket, p.Region, p.Prefix, p.Keys, p.Versions, p.Deleted, p.Size);
        return Results.Json(new { bucket = bucket.Name, region = bucket.Region, keys = p.Keys, versions = p.Versions * p.Keys + (p.Deleted ? p.Keys : 0) }, SandboxHost.Json);
    }

    public string OperationOf(HttpRequest request)
    {
        try { return S3Request.Parse(request).Operation; }
        catch (S3Exception) { return request.Method; }
    }

    public Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        S3Xml.WriteErrorAsync(context, new S3Exception(status, code, message));

    /// <summary>A SigV4 signature (header or presigned query) by one of the sandbox's keys; refusals in S3's own codes.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox)
    {
        var result = await sandbox.SigV4.VerifyAsync(context.Request, context.RequestAborted);
        if (result.Ok) return true;
        var presigned = context.Request.Headers.Authorization.Count == 0;
        if (!context.Response.HasStarted) await S3Xml.WriteErrorAsync(context, S3Exception.FromSignature(result, presigned));
        return false;
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (!Owns(http.Request))
        {
            http.Response.StatusCode = 404;
            return;
        }
        try
        {
            var req = S3Request.Parse(http.Request);
            http.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
            http.Response.Headers["x-amz-id-2"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            if (req.Scope.AccessKey == ReadOnlyAccessKey && !ReadOperations.Contains(req.Operation))
                throw new S3Exception(403, "AccessDenied", "Access Denied", "/" + req.Bucket + (req.Key.Length > 0 ? "/" + req.Key : ""));
            if (Faults.LatencyFor(req.Bucket, req.Key, req.Operation) is { } latency && latency > TimeSpan.Zero)
            {
                try { await Task.Delay(latency, http.RequestAborted); }
                catch (OperationCanceledException) { return; } // the client gave up waiting
            }
            await DispatchAsync(req);
        }
        catch (S3Exception ex)
        {
            if (!http.Response.HasStarted) await S3Xml.WriteErrorAsync(http, ex);
        }
        catch (BadHttpRequestException ex)
        {
            if (!http.Response.HasStarted) await S3Xml.WriteErrorAsync(http, new S3Exception(400, "IncompleteBody", ex.Message));
        }
        catch (System.Xml.XmlException ex)
        {
            if (!http.Response.HasStarted) await S3Xml.WriteErrorAsync(http, new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: " + ex.Message));
        }
    }

    private Task DispatchAsync(S3Request r) => r.Operation switch
    {
        "ListBuckets" => _buckets.ListBucketsAsync(r),
        "CreateBucket" => _buckets.CreateBucketAsync(r),
        "DeleteBucket" => _buckets.DeleteBucketAsync(r),
        "HeadBucket" => _buckets.HeadBucketAsync(r),
        "GetBucketLocation" => _buckets.GetBucketLocationAsync(r),
        "PutBucketVersioning" => _buckets.PutBucketVersioningAsync(r),
        "GetBucketVersioning" => _buckets.GetBucketVersioningAsync(r),
        "PutBucketReplication" or "PutBucketLifecycleConfiguration" or "PutPublicAccessBlock" or "PutBucketEncryption" => _buckets.PutBucketConfigAsync(r),
        "GetBucketReplication" or "GetBucketLifecycleConfiguration" or "GetPublicAccessBlock" or "GetBucketEncryption" => _buckets.GetBucketConfigAsync(r),
        "DeleteBucketReplication" or "DeleteBucketLifecycleConfiguration" or "DeletePublicAccessBlock" or "DeleteBucketEncryption" => _buckets.DeleteBucketConfigAsync(r),
        "ListObjectsV2" => _listing.ListObjectsV2Async(r),
        "ListObjects" => _listing.ListObjectsV1Async(r),
        "ListObjectVersions" => _listing.ListObjectVersionsAsync(r),
        "ListMultipartUploads" => _multipart.ListMultipartUploadsAsync(r),
        "DeleteObjects" => _objects.DeleteObjectsAsync(r),
        "PutObject" => _objects.PutObjectAsync(r),
        "CopyObject" => _objects.CopyObjectAsync(r),
        "GetObject" => _objects.GetObjectAsync(r, head: false),
        "HeadObject" => _objects.GetObjectAsync(r, head: true),
        "DeleteObject" => _objects.DeleteObjectAsync(r),
        "CreateMultipartUpload" => _multipart.CreateMultipartUploadAsync(r),
        "UploadPart" => _multipart.UploadPartAsync(r),
        "UploadPartCopy" => _multipart.UploadPartCopyAsync(r),
        "CompleteMultipartUpload" => _multipart.CompleteMultipartUploadAsync(r),
        "AbortMultipartUpload" => _multipart.AbortMultipartUploadAsync(r),
        "ListParts" => _multipart.ListPartsAsync(r),
        _ => throw new S3Exception(405, "MethodNotAllowed", "The specified method is not allowed against this resource."),
    };
}
