using System.Globalization;
using System.Xml.Linq;
using static RealEstateOps.Sandbox.S3.S3Xml;

namespace RealEstateOps.Sandbox.S3;

/// <summary>Multipart uploads: create, upload a part (or copy one), complete, abort, and their listings.</summary>
public sealed class S3Multipart
{
    private readonly S3Store _store;
    private readonly S3Objects _objects;

    public S3Multipart(S3Store store, S3Objects objects)
    {
        _store = store;
        _objects = objects;
    }

    /// <summary>Smallest size of every part but the last.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    private S3MultipartUpload UploadOf(S3Request r, S3Bucket bucket)
    {
        var id = r.QueryValue("uploadId") ?? "";
        if (!bucket.Uploads.TryGetValue(id, out var upload) || upload.Key != r.Key)
            throw new S3Exception(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.") { Extra = { ["UploadId"] = id } };
        return upload;
    }

    private static int PartNumberOf(S3Request r)
    {
        if (!int.TryParse(r.QueryValue("partNumber"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 10000)
            throw new S3Exception(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive") { Extra = { ["ArgumentName"] = "partNumber", ["ArgumentValue"] = r.QueryValue("partNumber") ?? "" } };
        return n;
    }

    public async Task CreateMultipartUploadAsync(S3Request r)
    {
        S3Request.CheckKey(r.Key);
        var bucket = r.BucketIn(_store);
        var algorithm = r.Header("x-amz-checksum-algorithm");
        if (algorithm is not null && !S3Checksums.IsKnown(algorithm))
            throw new S3Exception(400, "InvalidRequest", $"Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
        var upload = new S3MultipartUpload
        {
            UploadId = _store.NewUploadId(), Key = r.Key, Initiated = _store.Now, ContentType = r.Header("Content-Type") is { Length: > 0 } ct ? ct : "binary/octet-stream",
            Metadata = r.Metadata(), ChecksumAlgorithm = algorithm?.ToUpperInvariant(), StorageClass = r.StorageClass(),
        };
        bucket.Uploads[upload.UploadId] = upload;
        await r.ReadBodyAsync();
        if (upload.ChecksumAlgorithm is not null) r.Http.Response.Headers["x-amz-checksum-algorithm"] = upload.ChecksumAlgorithm;
        await WriteAsync(r, Element("InitiateMultipartUploadResult", Element("Bucket", bucket.Name), Element("Key", r.Key), Element("UploadId", upload.UploadId)));
    }

    public async Task UploadPartAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var upload = UploadOf(r, bucket);
        var number = PartNumberOf(r);
        var payload = await r.ReadPayloadAsync();
        if (upload.ChecksumAlgorithm is not null && payload.Algorithm is not null && payload.Algorithm != upload.ChecksumAlgorithm)
            throw new S3Exception(400, "InvalidRequest", $"Checksum Type mismatch occurred, expected checksum Type: {upload.ChecksumAlgorithm.ToLowerInvariant()}, actual checksum Type: {payload.Algorithm.ToLowerInvariant()}");
        var checksum = upload.ChecksumAlgorithm is null ? null : payload.Checksum ?? S3Checksums.Compute(upload.ChecksumAlgorithm, payload.Data);
        var part = new S3Part { Number = number, Data = payload.Data, ETag = S3Checksums.Md5Hex(payload.Data), ChecksumValue = checksum, LastModified = _store.Now };
        upload.Parts[number] = part;
        r.Http.Response.Headers.ETag = Quoted(part.ETag);
        r.Http.Response.Headers["x-amz-server-side-encryption"] = "AES256";
        if (checksum is not null) r.Http.Response.Headers[S3Checksums.HeaderOf(upload.ChecksumAlgorithm!)] = checksum;
        r.Http.Response.StatusCode = 200;
    }

    public async Task UploadPartCopyAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var upload = UploadOf(r, bucket);
        var number = PartNumberOf(r);
        var (_, source) = _objects.CopySource(r);
        long start = 0, length = source.Size;
        if (r.Header("x-amz-copy-source-range") is { } range)
        {
            var spec = range.StartsWith("bytes=", StringComparison.Ordinal) ? range[6..].Split('-') : Array.Empty<string>();
            if (spec.Length != 2 || !long.TryParse(spec[0], out start) || !long.TryParse(spec[1], out var end) || end < start || end >= source.Size)
                throw new S3Exception(400, "InvalidArgument", "Range specified is not valid for source object of size: " + source.Size) { Extra = { ["ArgumentName"] = "x-amz-copy-source-range", ["ArgumentValue"] = range } };
            length = end - start + 1;
        }
        await r.Http.Request.Body.CopyToAsync(Stream.Null);
        var data = source.Data.AsSpan((int)start, (int)length).ToArray();
        var checksum = upload.ChecksumAlgorithm is null ? null : S3Checksums.Compute(upload.ChecksumAlgorithm, data);
        var part = new S3Part { Number = number, Data = data, ETag = S3Checksums.Md5Hex(data), ChecksumValue = checksum, LastModified = _store.Now };
        upload.Parts[number] = part;
        await WriteAsync(r, Element("CopyPartResult", Element("LastModified", Iso(part.LastModified)), Element("ETag", Quoted(part.ETag)),
            checksum is null ? null : Element("Checksum" + upload.ChecksumAlgorithm, checksum)));
    }

    public async Task CompleteMultipartUploadAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var upload = UploadOf(r, bucket);
        var doc = await r.ReadXmlAsync();
        var ns = doc.Name.Namespace;
        var listed = doc.Elements(ns + "Part").Select(p => (Number: (int?)p.Element(ns + "PartNumber") ?? 0, ETag: ((string?)p.Element(ns + "ETag") ?? "").Trim('"'))).ToList();
        if (listed.Count == 0)
            throw S3Exception.MalformedXml();
        var parts = new List<S3Part>();
        for (var i = 0; i < listed.Count; i++)
        {
            if (i > 0 && listed[i].Number <= listed[i - 1].Number)
                throw new S3Exception(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
            if (!upload.Parts.TryGetValue(listed[i].Number, out var part) || part.ETag != listed[i].ETag)
                throw new S3Exception(400, "InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.")
                { Extra = { ["PartNumber"] = listed[i].Number.ToString(CultureInfo.InvariantCulture), ["ETag"] = listed[i].ETag } };
            parts.Add(part);
        }
        for (var i = 0; i < parts.Count - 1; i++)
            if (parts[i].Data.Length < MinPartSize)
                throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
                { Extra = { ["ProposedSize"] = parts[i].Data.Length.ToString(CultureInfo.InvariantCulture), ["MinSizeAllowed"] = MinPartSize.ToString(CultureInfo.InvariantCulture), ["PartNumber"] = parts[i].Number.ToString(CultureInfo.InvariantCulture) } };
        var data = new byte[parts.Sum(p => (long)p.Data.Length)];
        var offset = 0;
        var md5s = new byte[parts.Count * 16];
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].Data.CopyTo(data, offset);
            offset += parts[i].Data.Length;
            Convert.FromHexString(parts[i].ETag).CopyTo(md5s, i * 16);
        }
        var etag = S3Checksums.Md5Hex(md5s) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture);
        var algorithm = upload.ChecksumAlgorithm ?? "CRC64NVME";
        var checksum = S3Checksums.Compute(algorithm, data);
        if (!bucket.Uploads.TryRemove(upload.UploadId, out _))
            throw new S3Exception(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
        var version = _store.Write(bucket, upload.Key, (id, now) => new S3ObjectVersion
        {
            Key = upload.Key, VersionId = id, LastModified = now, Data = data, ETag = etag, ContentType = upload.ContentType, Metadata = upload.Metadata,
            StorageClass = upload.StorageClass, ChecksumAlgorithm = algorithm, ChecksumValue = checksum, PartSizes = parts.Select(p => (long)p.Data.Length).ToArray(),
        });
        if (bucket.Versioning == "Enabled") r.Http.Response.Headers["x-amz-version-id"] = version.VersionId;
        r.Http.Response.Headers["x-amz-server-side-encryption"] = "AES256";
        await WriteAsync(r, Element("CompleteMultipartUploadResult", Element("Location", $"{r.Http.Request.Scheme}://{r.Http.Request.Host}/{bucket.Name}/{Uri.EscapeDataString(upload.Key).Replace("%2F", "/")}"),
            Element("Bucket", bucket.Name), Element("Key", upload.Key), Element("ETag", Quoted(etag)),
            upload.ChecksumAlgorithm is null ? null : Element("Checksum" + algorithm, checksum), upload.ChecksumAlgorithm is null ? null : Element("ChecksumType", "FULL_OBJECT")));
    }

    public Task AbortMultipartUploadAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var upload = UploadOf(r, bucket);
        bucket.Uploads.TryRemove(upload.UploadId, out _);
        r.Http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    public async Task ListPartsAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var upload = UploadOf(r, bucket);
        var result = Element("ListPartsResult", Element("Bucket", bucket.Name), Element("Key", upload.Key), Element("UploadId", upload.UploadId),
            Element("StorageClass", upload.StorageClass), Element("MaxParts", 1000), Element("IsTruncated", "false"),
            upload.ChecksumAlgorithm is null ? null : Element("ChecksumAlgorithm", upload.ChecksumAlgorithm));
        foreach (var p in upload.Parts.Values.OrderBy(p => p.Number))
            result.Add(Element("Part", Element("PartNumber", p.Number), Element("LastModified", Iso(p.LastModified)), Element("ETag", Quoted(p.ETag)), Element("Size", p.Data.Length),
                p.ChecksumValue is null ? null : Element("Checksum" + upload.ChecksumAlgorithm, p.ChecksumValue)));
        await WriteAsync(r, result);
    }

    public async Task ListMultipartUploadsAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var prefix = r.QueryValue("prefix") ?? "";
        var result = Element("ListMultipartUploadsResult", Element("Bucket", bucket.Name), Element("KeyMarker", ""), Element("UploadIdMarker", ""), Element("Prefix", prefix),
            Element("MaxUploads", 1000), Element("IsTruncated", "false"));
        foreach (var u in bucket.Uploads.Values.Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(u => u.Key, StringComparer.Ordinal).ThenBy(u => u.Initiated))
            result.Add(Element("Upload", Element("Key", u.Key), Element("UploadId", u.UploadId), Element("StorageClass", u.StorageClass), Element("Initiated", Iso(u.Initiated))));
        await WriteAsync(r, result);
    }
}
