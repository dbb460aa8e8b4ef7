using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http.Features;

namespace RealEstateOps.Sandbox.S3;

/// <summary>The SigV4 credential scope a request was signed for.</summary>
public readonly record struct S3Scope(string AccessKey, string Region, string Service)
{
    /// <summary>The scope of the Authorization header's or the presigned query's credential; null when unsigned.</summary>
    public static S3Scope? Of(HttpRequest request)
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
        return parts.Length >= 5 ? new S3Scope(parts[0], parts[2], parts[3]) : null;
    }
}

/// <summary>
/// One request, parsed: bucket and key from the raw (still encoded) path, the S3 operation it performs, and its
/// parameters (query, headers, metadata, storage class, the payload with aws-chunked framing removed and checksums verified).
/// </summary>
public sealed record S3Request(HttpContext Http, string Bucket, string Key, string Operation, S3Scope Scope)
{
    public IQueryCollection Query => Http.Request.Query;
    public bool Has(string name) => Query.ContainsKey(name);
    public string? QueryValue(string name) => Query.TryGetValue(name, out var v) ? v.ToString() : null;
    public string? Header(string name) => Http.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;

    public static S3Request Parse(HttpRequest request)
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
        return new S3Request(request.HttpContext, bucket, key, op, S3Scope.Of(request) ?? new S3Scope("", "us-east-1", "s3"));
    }

    /// <summary>The bucket, checked to exist and to be addressed in its own region (named in x-amz-bucket-region).</summary>
    public S3Bucket BucketIn(S3Store store)
    {
        var bucket = store.InRegion(Bucket, Scope.Region);
        Http.Response.Headers["x-amz-bucket-region"] = bucket.Region;
        return bucket;
    }

    /// <summary>The x-amz-meta-* headers, by lowercase name.</summary>
    public Dictionary<string, string> Metadata() =>
        Http.Request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key[11..].ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    public string StorageClass()
    {
        var sc = Header("x-amz-storage-class") ?? "STANDARD";
        var known = new[] { "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR" };
        return known.Contains(sc) ? sc : throw new S3Exception(400, "InvalidStorageClass", "The storage class you specified is not valid");
    }

    public static void CheckKey(string key)
    {
        if (Encoding.UTF8.GetByteCount(key) > 1024) throw new S3Exception(400, "KeyTooLongError", "Your key is too long");
    }

    public async Task<byte[]> ReadBodyAsync()
    {
        using var ms = new MemoryStream(Http.Request.ContentLength is { } n and < int.MaxValue ? (int)n : 0);
        await Http.Request.Body.CopyToAsync(ms, Http.RequestAborted);
        return ms.ToArray();
    }

    public async Task<XElement> ReadXmlAsync()
    {
        var body = await ReadPayloadAsync();
        if (body.Data.Length == 0) throw S3Exception.MalformedXml();
        return XElement.Parse(Encoding.UTF8.GetString(body.Data));
    }

    /// <summary>The payload with aws-chunked framing removed, and its checksum (header or trailer) verified.</summary>
    public async Task<(byte[] Data, string? Algorithm, string? Checksum)> ReadPayloadAsync()
    {
        var body = await ReadBodyAsync();
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AwsChunked.IsChunked(Http.Request))
        {
            var decoded = AwsChunked.Decode(body);
            body = decoded.Data;
            trailers = decoded.Trailers;
            if (Header("x-amz-decoded-content-length") is { } declared && long.TryParse(declared, out var n) && n != body.LongLength)
                throw new S3Exception(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
        }
        if (Header("Content-MD5") is { Length: > 0 } md5)
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
            var value = Header(header) ?? trailers.GetValueOrDefault(header);
            if (string.IsNullOrEmpty(value)) continue;
            var actual = S3Checksums.Compute(a, body);
            if (actual != value) throw new S3Exception(400, "BadDigest", $"The {a} you specified did not match the calculated checksum.");
            algorithm = a;
            checksum = value;
        }
        if (algorithm is null && (Header("x-amz-sdk-checksum-algorithm") ?? Header("x-amz-checksum-algorithm")) is { Length: > 0 } requested)
        {
            if (!S3Checksums.IsKnown(requested)) throw new S3Exception(400, "InvalidRequest", $"Value for x-amz-checksum-algorithm header is invalid: {requested}.");
            algorithm = requested.ToUpperInvariant();
            checksum = S3Checksums.Compute(algorithm, body);
        }
        return (body, algorithm, checksum);
    }
}
