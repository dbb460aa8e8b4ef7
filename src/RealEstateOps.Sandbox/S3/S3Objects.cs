using System.Globalization;
using System.Xml.Linq;
using static RealEstateOps.Sandbox.S3.S3Xml;

namespace RealEstateOps.Sandbox.S3;

/// <summary>Object operations: put (with checksums and If-None-Match), copy, get and head (versions, conditions, ranges, parts), delete one and many.</summary>
public sealed class S3Objects
{
    private readonly S3Store _store;

    public S3Objects(S3Store store) => _store = store;

    public async Task PutObjectAsync(S3Request r)
    {
        S3Request.CheckKey(r.Key);
        var bucket = r.BucketIn(_store);
        var contentType = r.Header("Content-Type") is { Length: > 0 } ct ? ct : "binary/octet-stream";
        var metadata = r.Metadata();
        var storageClass = r.StorageClass();
        var payload = await r.ReadPayloadAsync();
        var algorithm = payload.Algorithm ?? "CRC64NVME";
        var checksum = payload.Checksum ?? S3Checksums.Compute(algorithm, payload.Data);
        var ifNoneMatch = r.Header("If-None-Match");
        S3ObjectVersion version;
        lock (bucket.Gate)
        {
            if (ifNoneMatch == "*" && bucket.Keys.TryGetValue(r.Key, out var e) && e.Current is { IsDeleteMarker: false })
                throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", r.Key);
            version = _store.Write(bucket, r.Key, (id, now) => new S3ObjectVersion
            {
                Key = r.Key, VersionId = id, LastModified = now, Data = payload.Data, ETag = S3Checksums.Md5Hex(payload.Data),
                ContentType = contentType, Metadata = metadata, StorageClass = storageClass, ChecksumAlgorithm = algorithm, ChecksumValue = checksum,
            });
        }
        r.Http.Response.Headers.ETag = Quoted(version.ETag);
        r.Http.Response.Headers["x-amz-server-side-encryption"] = "AES256";
        if (bucket.Versioning == "Enabled") r.Http.Response.Headers["x-amz-version-id"] = version.VersionId;
        if (payload.Algorithm is not null) r.Http.Response.Headers[S3Checksums.HeaderOf(algorithm)] = checksum;
        r.Http.Response.StatusCode = 200;
    }

    /// <summary>x-amz-copy-source: "[/]bucket/key[?versionId=...]", URL-encoded.</summary>
    public (S3Bucket Bucket, S3ObjectVersion Version) CopySource(S3Request r)
    {
        var source = r.Header("x-amz-copy-source")!;
        string? versionId = null;
        var q = source.IndexOf('?');
        if (q >= 0)
        {
            foreach (var pair in source[(q + 1)..].Split('&'))
                if (pair.StartsWith("versionId=", StringComparison.Ordinal)) versionId = Uri.UnescapeDataString(pair[10..]);
            source = source[..q];
        }
        source = Uri.UnescapeDataString(source).TrimStart('/');
        var slash = source.IndexOf('/');
        if (slash <= 0 || slash == source.Length - 1) throw new S3Exception(400, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        var bucket = _store.Find(source[..slash]) ?? throw new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist", source[..slash]);
        var key = source[(slash + 1)..];
        lock (bucket.Gate)
        {
            var version = S3Store.FindVersionLocked(bucket, key, versionId, allowDeleteMarker: true);
            if (version.IsDeleteMarker)
            {
                if (versionId is not null) throw new S3Exception(400, "InvalidRequest", "The source of a copy request may not specifically refer to a delete marker by version id.");
                throw new S3Exception(404, "NoSuchKey", "The specified key does not exist.", key);
            }
            if (r.Header("x-amz-copy-source-if-match") is { } ifMatch && ifMatch.Trim('"') != version.ETag)
                throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", key);
            if (r.Header("x-amz-copy-source-if-none-match") is { } ifNone && ifNone.Trim('"') == version.ETag)
                throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", key);
            if (bucket.VersioningEverEnabled) r.Http.Response.Headers["x-amz-copy-source-version-id"] = version.VersionId;
            return (bucket, version);
        }
    }

    public async Task CopyObjectAsync(S3Request r)
    {
        S3Request.CheckKey(r.Key);
        var bucket = r.BucketIn(_store);
        var (sourceBucket, source) = CopySource(r);
        var replace = string.Equals(r.Header("x-amz-metadata-directive"), "REPLACE", StringComparison.OrdinalIgnoreCase);
        var storageClass = r.Header("x-amz-storage-class") is null ? "STANDARD" : r.StorageClass();
        var sourceHasVersion = (r.Header("x-amz-copy-source") ?? "").Contains("versionId=", StringComparison.Ordinal);
        if (ReferenceEquals(sourceBucket, bucket) && source.Key == r.Key && !replace && r.Header("x-amz-storage-class") is null && !sourceHasVersion)
            throw new S3Exception(400, "InvalidRequest",
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        var requestedAlgorithm = r.Header("x-amz-checksum-algorithm");
        if (requestedAlgorithm is not null && !S3Checksums.IsKnown(requestedAlgorithm))
            throw new S3Exception(400, "InvalidRequest", $"Value for x-amz-checksum-algorithm header is invalid: {requestedAlgorithm}.");
        var algorithm = requestedAlgorithm?.ToUpperInvariant() ?? source.ChecksumAlgorithm ?? "CRC64NVME";
        var checksum = algorithm == source.ChecksumAlgorithm && source.ChecksumValue is not null ? source.ChecksumValue : S3Checksums.Compute(algorithm, source.Data);
        await r.Http.Request.Body.CopyToAsync(Stream.Null);
        var version = _store.Write(bucket, r.Key, (id, now) => new S3ObjectVersion
        {
            Key = r.Key, VersionId = id, LastModified = now, Data = source.Data,
            ETag = source.ETag.Contains('-') ? S3Checksums.Md5Hex(source.Data) : source.ETag,
            ContentType = replace ? (r.Header("Content-Type") ?? "binary/octet-stream") : source.ContentType,
            Metadata = replace ? r.Metadata() : new Dictionary<string, string>(source.Metadata, StringComparer.OrdinalIgnoreCase),
            StorageClass = storageClass, ChecksumAlgorithm = algorithm, ChecksumValue = checksum,
        });
        if (bucket.Versioning == "Enabled") r.Http.Response.Headers["x-amz-version-id"] = version.VersionId;
        r.Http.Response.Headers["x-amz-server-side-encryption"] = "AES256";
        await WriteAsync(r, Element("CopyObjectResult", Element("LastModified", Iso(version.LastModified)), Element("ETag", Quoted(version.ETag)),
            Element("Checksum" + algorithm, checksum)));
    }

    public async Task GetObjectAsync(S3Request r, bool head)
    {
        var bucket = r.BucketIn(_store);
        S3ObjectVersion version;
        lock (bucket.Gate)
        {
            version = S3Store.FindVersionLocked(bucket, r.Key, r.QueryValue("versionId"), allowDeleteMarker: r.QueryValue("versionId") is not null);
            if (version.IsDeleteMarker)
            {
                var ex = new S3Exception(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", r.Key);
                ex.Headers["x-amz-delete-marker"] = "true";
                ex.Headers["x-amz-version-id"] = version.VersionId;
                ex.Headers["Last-Modified"] = HttpDate(version.LastModified);
                ex.Extra["Method"] = r.Http.Request.Method;
                ex.Extra["ResourceType"] = "DeleteMarker";
                throw ex;
            }
        }
        var res = r.Http.Response;
        // Conditional requests.
        var lastModifiedSecond = new DateTimeOffset(version.LastModified.Year, version.LastModified.Month, version.LastModified.Day,
            version.LastModified.Hour, version.LastModified.Minute, version.LastModified.Second, TimeSpan.Zero);
        if (r.Header("If-Match") is { } ifMatch && ifMatch.Trim('"') != version.ETag && ifMatch != "*")
            throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold") { Extra = { ["Condition"] = "If-Match" } };
        if (r.Header("If-Unmodified-Since") is { } ius && DateTimeOffset.TryParse(ius, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iusT) && lastModifiedSecond > iusT)
            throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold") { Extra = { ["Condition"] = "If-Unmodified-Since" } };
        var notModified = r.Header("If-None-Match") is { } inm ? inm.Trim('"') == version.ETag || inm == "*"
            : r.Header("If-Modified-Since") is { } ims && DateTimeOffset.TryParse(ims, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var imsT) && lastModifiedSecond <= imsT;

        res.Headers.LastModified = HttpDate(version.LastModified);
        res.Headers.ETag = Quoted(version.ETag);
        if (bucket.VersioningEverEnabled) res.Headers["x-amz-version-id"] = version.VersionId;
        if (notModified)
        {
            res.StatusCode = 304;
            return;
        }
        res.Headers.AcceptRanges = "bytes";
        res.Headers["x-amz-server-side-encryption"] = "AES256";
        if (version.StorageClass != "STANDARD") res.Headers["x-amz-storage-class"] = version.StorageClass;
        foreach (var (k, v) in version.Metadata) res.Headers["x-amz-meta-" + k] = v;
        res.ContentType = version.ContentType;

        long start = 0, length = version.Size;
        var partial = false;
        if (r.QueryValue("partNumber") is { } partText)
        {
            if (!int.TryParse(partText, out var part) || part < 1) throw new S3Exception(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
            var sizes = version.PartSizes ?? new[] { version.Size };
            if (part > sizes.Length) throw new S3Exception(416, "InvalidPartNumber", "The requested partnumber is not satisfiable");
            start = sizes.Take(part - 1).Sum();
            length = sizes[part - 1];
            res.Headers["x-amz-mp-parts-count"] = sizes.Length.ToString(CultureInfo.InvariantCulture);
            partial = version.PartSizes is not null;
        }
        else if (r.Header("Range") is { Length: > 0 } range)
        {
            (start, length) = ParseRange(range, version.Size);
            partial = true;
        }
        if (partial)
        {
            res.StatusCode = 206;
            res.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{version.Size}";
        }
        else
        {
            res.StatusCode = 200;
            if (string.Equals(r.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase) && version.ChecksumAlgorithm is not null)
            {
                res.Headers[S3Checksums.HeaderOf(version.ChecksumAlgorithm)] = version.ChecksumValue;
                res.Headers["x-amz-checksum-type"] = "FULL_OBJECT";
            }
        }
        res.ContentLength = length;
        if (!head && length > 0) await res.Body.WriteAsync(version.Data.AsMemory((int)start, (int)length), r.Http.RequestAborted);
    }

    private static (long Start, long Length) ParseRange(string range, long size)
    {
        S3Exception Invalid() => new(416, "InvalidRange", "The requested range is not satisfiable") { Extra = { ["ActualObjectSize"] = size.ToString(CultureInfo.InvariantCulture) } };
        if (!range.StartsWith("bytes=", StringComparison.Ordinal) || range.Contains(',')) return (0, size);
        var spec = range[6..];
        var dash = spec.IndexOf('-');
        if (dash < 0) return (0, size);
        var a = spec[..dash];
        var b = spec[(dash + 1)..];
        if (a.Length == 0)
        {
            if (!long.TryParse(b, out var suffix) || suffix <= 0) throw Invalid();
            suffix = Math.Min(suffix, size);
            return (size - suffix, suffix);
        }
        if (!long.TryParse(a, out var first) || first >= size) throw Invalid();
        var last = b.Length == 0 || !long.TryParse(b, out var l) ? size - 1 : Math.Min(l, size - 1);
        if (last < first) return (0, size);
        return (first, last - first + 1);
    }

    public async Task DeleteObjectAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var (marker, versionId) = _store.DeleteOne(bucket, r.Key, r.QueryValue("versionId"));
        if (marker) r.Http.Response.Headers["x-amz-delete-marker"] = "true";
        if (versionId is not null) r.Http.Response.Headers["x-amz-version-id"] = versionId;
        r.Http.Response.StatusCode = 204;
        await Task.CompletedTask;
    }

    public async Task DeleteObjectsAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var doc = await r.ReadXmlAsync();
        var ns = doc.Name.Namespace;
        var quiet = string.Equals((string?)doc.Element(ns + "Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var objects = doc.Elements(ns + "Object").ToList();
        if (objects.Count > 1000) throw S3Exception.MalformedXml();
        var result = Element("DeleteResult");
        foreach (var o in objects)
        {
            var key = (string?)o.Element(ns + "Key") ?? "";
            var versionId = (string?)o.Element(ns + "VersionId");
            try
            {
                var (marker, id) = _store.DeleteOne(bucket, key, versionId);
                if (quiet) continue;
                var deleted = Element("Deleted", Element("Key", key));
                if (versionId is not null) deleted.Add(Element("VersionId", versionId));
                if (marker)
                {
                    deleted.Add(Element("DeleteMarker", "true"));
                    if (versionId is null) deleted.Add(Element("DeleteMarkerVersionId", id));
                }
                result.Add(deleted);
            }
            catch (S3Exception ex)
            {
                result.Add(Element("Error", Element("Key", key), versionId is null ? null : Element("VersionId", versionId), Element("Code", ex.Code), Element("Message", ex.Message)));
            }
        }
        await WriteAsync(r, result);
    }
}
