using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.S3;

/// <summary>
/// S3's REST-XML API, path-style: buckets in several regions, versioning with delete markers,
/// objects (get/put/head/delete/copy, with versionId), listing (V2 and versions) with paging,
/// multipart upload (and part copy), aws-chunked uploads with trailing checksums, bucket
/// configuration (versioning, replication, lifecycle, public access block, encryption).
/// Requests are S3's when their SigV4 credential scope names the s3 service.
/// </summary>
public sealed partial class S3Service : ISandboxService
{
    /// <summary>An access key that may read but not change anything (to rehearse AccessDenied).</summary>
    public const string ReadOnlyAccessKey = Engine.Sandbox.SandboxSecrets.ReadOnlyAccessKeyIdValue;
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    private SandboxContext? _sandbox;

    public string Name => "s3";
    public S3Store Store { get; } = new();
    /// <summary>Latency for chosen buckets, keys and operations (PUT/DELETE /_sandbox/s3/faults).</summary>
    public S3FaultRules Faults { get; } = new();
    public FaultKind ThrottleFault => new(503, "SlowDown");

    private DateTimeOffset Now => _sandbox?.Clock.UtcNow ?? DateTimeOffset.UtcNow;

    public bool Owns(HttpRequest request) => ScopeOf(request) is { Service: "s3" };

    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox)
    {
        _sandbox = sandbox;
        S3Seed.Seed(Store, sandbox.Clock.UtcNow);
        endpoints.Map("/{**path}", HandleAsync).WithOrder(int.MaxValue);
        endpoints.MapPost(Control.ControlEndpoints.Prefix + "/s3/populate", (Func<HttpContext, Task<IResult>>)PopulateAsync);
        endpoints.MapPut(Control.ControlEndpoints.Prefix + "/s3/faults", (Func<HttpContext, Task<IResult>>)SetFaultsAsync);
        endpoints.MapGet(Control.ControlEndpoints.Prefix + "/s3/faults", () => Results.Json(new { rules = Faults.Rules }, SandboxHost.Json));
        endpoints.MapDelete(Control.ControlEndpoints.Prefix + "/s3/faults", () => { Faults.Clear(); return Results.NoContent(); });
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
        if (p is null || !IsValidBucketName(p.Bucket) || p.Keys is < 0 or > 1_000_000 || p.Versions is < 1 or > 100 || p.Size is < 0 or > 1_048_576)
            return Results.Json(new { code = "InvalidPopulateRequest", message = "bucket must be a valid name; keys 0..1000000, versions 1..100, size 0..1048576." }, SandboxHost.Json, statusCode: 400);
        var bucket = Store.Find(p.Bucket) ?? Store.Create(p.Bucket, p.Region, Now);
        var now = Now;
        lock (bucket.Gate)
        {
            bucket.Versioning ??= "Enabled";
            for (var k = 0; k < p.Keys; k++)
            {
                var key = $"{p.Prefix}{k:0000000}";
                for (var v = 1; v <= p.Versions; v++)
                {
                    var data = new byte[p.Size];
                    Encoding.ASCII.GetBytes($"{key} v{v} ").AsSpan(0, Math.Min(p.Size, key.Length + 4)).CopyTo(data);
                    S3Store.AddLocked(bucket, new S3ObjectVersion
                    {
                        Key = key, VersionId = Store.NewVersionId(), LastModified = now.AddMinutes(v - p.Versions - 1), Data = data, ETag = S3Checksums.Md5Hex(data),
                        ChecksumAlgorithm = "CRC64NVME", ChecksumValue = S3Checksums.Compute("CRC64NVME", data),
                    });
                }
                if (p.Deleted)
                    S3Store.AddLocked(bucket, new S3ObjectVersion { Key = key, VersionId = Store.NewVersionId(), IsDeleteMarker = true, LastModified = now.AddSeconds(-1) });
            }
        }
        return Results.Json(new { bucket = bucket.Name, region = bucket.Region, keys = p.Keys, versions = p.Versions * p.Keys + (p.Deleted ? p.Keys : 0) }, SandboxHost.Json);
    }

    public string OperationOf(HttpRequest request)
    {
        try { return Parse(request).Operation; }
        catch (S3Exception) { return request.Method; }
    }

    public Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteErrorAsync(context, new S3Exception(status, code, message));

    /// <summary>A SigV4 signature (header or presigned query) by one of the sandbox's keys; refusals in S3's own codes.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox)
    {
        var result = await sandbox.SigV4.VerifyAsync(context.Request, context.RequestAborted);
        if (result.Ok) return true;
        var presigned = context.Request.Headers.Authorization.Count == 0;
        var ex = result.Failure switch
        {
            Security.SigV4Failure.Missing => new S3Exception(403, "AccessDenied", "Access Denied"),
            Security.SigV4Failure.MissingDate => new S3Exception(403, "AccessDenied", result.Message),
            Security.SigV4Failure.Expired => new S3Exception(403, "AccessDenied", result.Message),
            Security.SigV4Failure.Malformed => new S3Exception(400, presigned ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed", result.Message),
            Security.SigV4Failure.UnknownAccessKey => new S3Exception(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."),
            Security.SigV4Failure.Skewed => new S3Exception(403, "RequestTimeTooSkewed", result.Message),
            _ => new S3Exception(403, "SignatureDoesNotMatch", result.Message),
        };
        if (result.Credential is { } c && result.Failure == Security.SigV4Failure.UnknownAccessKey) ex.Extra["AWSAccessKeyId"] = c.AccessKeyId;
        if (result.Failure == Security.SigV4Failure.SignatureMismatch)
        {
            ex.Extra["AWSAccessKeyId"] = result.Credential!.AccessKeyId;
            ex.Extra["StringToSign"] = result.StringToSign ?? "";
            ex.Extra["CanonicalRequest"] = result.CanonicalRequest ?? "";
        }
        if (!context.Response.HasStarted) await WriteErrorAsync(context, ex);
        return false;
    }

    private record struct Scope(string AccessKey, string Region, string Service);

    private static Scope? ScopeOf(HttpRequest request)
    {
        string? credential = null;
        var auth = request.Headers.Authorization.ToString();
        var i = auth.IndexOf("Credential=", StringComparison.Ordinal);
        if (i >= 0)
        {
            var end = auth.IndexOfAny(new[] { ',', ' ' }, i);
            credential = auth[(i + 11)..(end < 0 ? auth.Length : end)];
        }
        else if (request.Query.TryGetValue("X-Amz-Credential", out var q)) credential = q.ToString();
        if (credential is null) return null;
        var parts = credential.Split('/');
        return parts.Length >= 5 ? new Scope(parts[0], parts[2], parts[3]) : null;
    }

    /// <summary>One request, parsed: bucket and key from the raw (still encoded) path, and the S3 operation it performs.</summary>
    private sealed record S3Request(HttpContext Http, string Bucket, string Key, string Operation, Scope Scope)
    {
        public IQueryCollection Query => Http.Request.Query;
        public bool Has(string name) => Query.ContainsKey(name);
        public string? Q(string name) => Query.TryGetValue(name, out var v) ? v.ToString() : null;
        public string? H(string name) => Http.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
    }

    private static S3Request Parse(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToString();
        var q = raw.IndexOf('?');
        var path = (q >= 0 ? raw[..q] : raw).TrimStart('/');
        var slash = path.IndexOf('/');
        var bucket = Uri.UnescapeDataString(slash >= 0 ? path[..slash] : path);
        var key = slash >= 0 ? Uri.UnescapeDataString(path[(slash + 1)..]) : "";
        var m = request.Method;
        var has = (string n) => request.Query.ContainsKey(n);
        string op;
        if (bucket.Length == 0) op = m == "GET" ? "ListBuckets" : "Unknown";
        else if (key.Length == 0)
        {
            string? sub = new[] { "versioning", "replication", "lifecycle", "publicAccessBlock", "encryption" }.FirstOrDefault(has);
            var subName = sub switch
            {
                "versioning" => "BucketVersioning", "replication" => "BucketReplication", "lifecycle" => "BucketLifecycleConfiguration",
                "publicAccessBlock" => "PublicAccessBlock", "encryption" => "BucketEncryption", _ => null,
            };
            op = m switch
            {
                "PUT" => subName is null ? "CreateBucket" : "Put" + subName,
                "DELETE" => subName is null ? "DeleteBucket" : "Delete" + subName,
                "HEAD" => "HeadBucket",
                "POST" when has("delete") => "DeleteObjects",
                "GET" when subName is not null => "Get" + subName,
                "GET" when has("location") => "GetBucketLocation",
                "GET" when has("versions") => "ListObjectVersions",
                "GET" when has("uploads") => "ListMultipartUploads",
                "GET" when request.Query["list-type"] == "2" => "ListObjectsV2",
                "GET" => "ListObjects",
                _ => "Unknown",
            };
        }
        else
        {
            op = m switch
            {
                "PUT" when has("uploadId") => request.Headers.ContainsKey("x-amz-copy-source") ? "UploadPartCopy" : "UploadPart",
                "PUT" when request.Headers.ContainsKey("x-amz-copy-source") => "CopyObject",
                "PUT" => "PutObject",
                "GET" when has("uploadId") => "ListParts",
                "GET" => "GetObject",
                "HEAD" => "HeadObject",
                "DELETE" when has("uploadId") => "AbortMultipartUpload",
                "DELETE" => "DeleteObject",
                "POST" when has("uploads") => "CreateMultipartUpload",
                "POST" when has("uploadId") => "CompleteMultipartUpload",
                _ => "Unknown",
            };
        }
        return new S3Request(request.HttpContext, bucket, key, op, ScopeOf(request) ?? new Scope("", "us-east-1", "s3"));
    }

    private static readonly HashSet<string> ReadOperations = new(StringComparer.Ordinal)
    {
        "ListBuckets", "HeadBucket", "GetBucketVersioning", "GetBucketReplication", "GetBucketLifecycleConfiguration", "GetPublicAccessBlock",
        "GetBucketEncryption", "GetBucketLocation", "ListObjectVersions", "ListMultipartUploads", "ListObjectsV2", "ListObjects", "ListParts",
        "GetObject", "HeadObject",
    };

    private async Task HandleAsync(HttpContext http)
    {
        if (!Owns(http.Request))
        {
            http.Response.StatusCode = 404;
            return;
        }
        S3Request? req = null;
        try
        {
            req = Parse(http.Request);
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
            if (!http.Response.HasStarted) await WriteErrorAsync(http, ex);
        }
        catch (BadHttpRequestException ex)
        {
            if (!http.Response.HasStarted) await WriteErrorAsync(http, new S3Exception(400, "IncompleteBody", ex.Message));
        }
        catch (System.Xml.XmlException ex)
        {
            if (!http.Response.HasStarted) await WriteErrorAsync(http, new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: " + ex.Message));
        }
    }

    private Task DispatchAsync(S3Request r) => r.Operation switch
    {
        "ListBuckets" => ListBucketsAsync(r),
        "CreateBucket" => CreateBucketAsync(r),
        "DeleteBucket" => DeleteBucketAsync(r),
        "HeadBucket" => HeadBucketAsync(r),
        "GetBucketLocation" => GetBucketLocationAsync(r),
        "PutBucketVersioning" => PutBucketVersioningAsync(r),
        "GetBucketVersioning" => GetBucketVersioningAsync(r),
        "PutBucketReplication" or "PutBucketLifecycleConfiguration" or "PutPublicAccessBlock" or "PutBucketEncryption" => PutBucketConfigAsync(r),
        "GetBucketReplication" or "GetBucketLifecycleConfiguration" or "GetPublicAccessBlock" or "GetBucketEncryption" => GetBucketConfigAsync(r),
        "DeleteBucketReplication" or "DeleteBucketLifecycleConfiguration" or "DeletePublicAccessBlock" or "DeleteBucketEncryption" => DeleteBucketConfigAsync(r),
        "ListObjectsV2" => ListObjectsV2Async(r),
        "ListObjects" => ListObjectsV1Async(r),
        "ListObjectVersions" => ListObjectVersionsAsync(r),
        "ListMultipartUploads" => ListMultipartUploadsAsync(r),
        "DeleteObjects" => DeleteObjectsAsync(r),
        "PutObject" => PutObjectAsync(r),
        "CopyObject" => CopyObjectAsync(r),
        "GetObject" => GetObjectAsync(r, head: false),
        "HeadObject" => GetObjectAsync(r, head: true),
        "DeleteObject" => DeleteObjectAsync(r),
        "CreateMultipartUpload" => CreateMultipartUploadAsync(r),
        "UploadPart" => UploadPartAsync(r),
        "UploadPartCopy" => UploadPartCopyAsync(r),
        "CompleteMultipartUpload" => CompleteMultipartUploadAsync(r),
        "AbortMultipartUpload" => AbortMultipartUploadAsync(r),
        "ListParts" => ListPartsAsync(r),
        _ => throw new S3Exception(405, "MethodNotAllowed", "The specified method is not allowed against this resource."),
    };

    // ---- shared helpers ----

    /// <summary>The bucket, checked to exist and to be addressed in its own region.</summary>
    private S3Bucket BucketOf(S3Request r)
    {
        var bucket = Store.Find(r.Bucket) ?? throw new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist", r.Bucket);
        if (!string.Equals(bucket.Region, r.Scope.Region, StringComparison.Ordinal))
        {
            var ex = new S3Exception(400, "AuthorizationHeaderMalformed",
                $"The authorization header is malformed; the region '{r.Scope.Region}' is wrong; expecting '{bucket.Region}'", r.Bucket);
            ex.Extra["Region"] = bucket.Region;
            ex.Headers["x-amz-bucket-region"] = bucket.Region;
            throw ex;
        }
        r.Http.Response.Headers["x-amz-bucket-region"] = bucket.Region;
        return bucket;
    }

    private static async Task<byte[]> ReadBodyAsync(S3Request r)
    {
        using var ms = new MemoryStream(r.Http.Request.ContentLength is { } n and < int.MaxValue ? (int)n : 0);
        await r.Http.Request.Body.CopyToAsync(ms, r.Http.RequestAborted);
        return ms.ToArray();
    }

    private static async Task<XElement> ReadXmlAsync(S3Request r)
    {
        var body = await ReadPayloadAsync(r);
        if (body.Data.Length == 0) throw new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
        return XElement.Parse(Encoding.UTF8.GetString(body.Data));
    }

    /// <summary>The payload with aws-chunked framing removed, and its checksum (header or trailer) verified.</summary>
    private static async Task<(byte[] Data, string? Algorithm, string? Checksum)> ReadPayloadAsync(S3Request r)
    {
        var body = await ReadBodyAsync(r);
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AwsChunked.IsChunked(r.Http.Request))
        {
            var decoded = AwsChunked.Decode(body);
            body = decoded.Data;
            trailers = decoded.Trailers;
            if (r.H("x-amz-decoded-content-length") is { } declared && long.TryParse(declared, out var n) && n != body.LongLength)
                throw new S3Exception(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
        }
        if (r.H("Content-MD5") is { Length: > 0 } md5)
        {
            byte[] given;
            try { given = Convert.FromBase64String(md5); }
            catch (FormatException) { throw new S3Exception(400, "InvalidDigest", "The Content-MD5 you specified was invalid."); }
            if (!given.AsSpan().SequenceEqual(System.Security.Cryptography.MD5.HashData(body)))
                throw new S3Exception(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
        string? algorithm = null, checksum = null;
        foreach (var a in S3Checksums.Algorithms)
        {
            var header = S3Checksums.HeaderOf(a);
            var value = r.H(header) ?? trailers.GetValueOrDefault(header);
            if (string.IsNullOrEmpty(value)) continue;
            var actual = S3Checksums.Compute(a, body);
            if (actual != value) throw new S3Exception(400, "BadDigest", $"The {a} you specified did not match the calculated checksum.");
            algorithm = a;
            checksum = value;
        }
        if (algorithm is null && (r.H("x-amz-sdk-checksum-algorithm") ?? r.H("x-amz-checksum-algorithm")) is { Length: > 0 } requested)
        {
            if (!S3Checksums.IsKnown(requested)) throw new S3Exception(400, "InvalidRequest", $"Value for x-amz-checksum-algorithm header is invalid: {requested}.");
            algorithm = requested.ToUpperInvariant();
            checksum = S3Checksums.Compute(algorithm, body);
        }
        return (body, algorithm, checksum);
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    private static string Http(DateTimeOffset t) => t.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
    private static string Quoted(string etag) => "\"" + etag + "\"";

    private static XElement X(string name, params object?[] content) => new(Ns + name, content);

    private static async Task WriteXmlAsync(S3Request r, XElement root, int status = 200)
    {
        r.Http.Response.StatusCode = status;
        r.Http.Response.ContentType = "application/xml";
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting);
        var bytes = Encoding.UTF8.GetBytes(text);
        r.Http.Response.ContentLength = bytes.Length;
        await r.Http.Response.Body.WriteAsync(bytes, r.Http.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext http, S3Exception ex)
    {
        http.Response.StatusCode = ex.Status;
        foreach (var (k, v) in ex.Headers) http.Response.Headers[k] = v;
        if (!http.Response.Headers.ContainsKey("x-amz-request-id")) http.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        if (HttpMethods.IsHead(http.Request.Method)) return;
        var doc = new XElement("Error", new XElement("Code", ex.Code), new XElement("Message", ex.Message));
        if (ex.Resource is not null) doc.Add(new XElement(ex.Code == "NoSuchBucket" ? "BucketName" : "Resource", ex.Resource));
        foreach (var (k, v) in ex.Extra) doc.Add(new XElement(k, v));
        doc.Add(new XElement("RequestId", http.Response.Headers["x-amz-request-id"].ToString()));
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + doc.ToString(SaveOptions.DisableFormatting));
        http.Response.ContentType = "application/xml";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes);
    }

    /// <summary>S3's bucket naming rules (3-63 characters, lowercase letters, digits, dots and hyphens, ...).</summary>
    public static bool IsValidBucketName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-') &&
        char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) && !name.Contains("..") &&
        !System.Net.IPAddress.TryParse(name, out _) && !name.StartsWith("xn--", StringComparison.Ordinal);

    private static void CheckKey(string key)
    {
        if (Encoding.UTF8.GetByteCount(key) > 1024) throw new S3Exception(400, "KeyTooLongError", "Your key is too long");
    }
}
