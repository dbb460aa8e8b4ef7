using Amazon.S3;
using Amazon.S3.Model;

namespace RealEstateOps.Engine.S3;

/// <summary>Server-side copy of one object (or one version): CopyObject, or a multipart copy (UploadPartCopy) for large objects.</summary>
public sealed class S3Copier
{
    private readonly S3Client _client;

    public S3Copier(S3Client client) => _client = client;

    /// <summary>Objects above this size are copied in parts (CopyObject's own limit is 5 GiB).</summary>
    public const long DefaultMultipartThreshold = 64L * 1024 * 1024;
    public const long DefaultPartSize = 64L * 1024 * 1024;
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>Copies; returns the destination's new version id (null when the bucket is not versioned).</summary>
    public async Task<string?> CopyAsync(S3CopyRequest request, CancellationToken ct)
    {
        var destination = await _client.ForBucketAsync(request.DestinationBucket, request.DestinationRegion, ct).ConfigureAwait(false);
        var (destBucket, destKey) = (request.DestinationBucket, request.DestinationKey);
        var source = (Bucket: request.SourceBucket, Key: request.SourceKey, VersionId: request.SourceVersionId, request.Size);
        var partSize = request.PartSize;
        var target = $"s3://{destBucket}/{destKey}";
        var algorithm = request.ChecksumAlgorithm is { Length: > 0 } a ? new ChecksumAlgorithm(a) : null;
        if (source.Size <= request.MultipartThreshold)
        {
            var response = await S3Client.Call(() => destination.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = source.Bucket, SourceKey = source.Key, SourceVersionId = source.VersionId,
                DestinationBucket = destBucket, DestinationKey = destKey, MetadataDirective = S3MetadataDirective.COPY, ChecksumAlgorithm = algorithm,
            }, ct), target, ct).ConfigureAwait(false);
            return response.VersionId;
        }

        // Multipart copy keeps the source's content type and metadata: read them first.
        var head = await S3Client.Call(() => destination.GetObjectMetadataAsync(new GetObjectMetadataRequest
        { BucketName = source.Bucket, Key = source.Key, VersionId = source.VersionId }, ct), $"s3://{source.Bucket}/{source.Key}", ct).ConfigureAwait(false);
        var init = new InitiateMultipartUploadRequest { BucketName = destBucket, Key = destKey, ContentType = head.Headers.ContentType, ChecksumAlgorithm = algorithm };
        foreach (var k in head.Metadata.Keys) init.Metadata[k] = head.Metadata[k];
        var upload = await S3Client.Call(() => destination.InitiateMultipartUploadAsync(init, ct), target, ct).ConfigureAwait(false);
        try
        {
            partSize = Math.Max(MinPartSize, partSize);
            var parts = new List<PartETag>();
            var number = 1;
            for (long offset = 0; offset < source.Size; offset += partSize, number++)
            {
                var last = Math.Min(source.Size, offset + partSize) - 1;
                var n = number;
                var first = offset;
                var part = await S3Client.Call(() => destination.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = source.Bucket, SourceKey = source.Key, SourceVersionId = source.VersionId,
                    DestinationBucket = destBucket, DestinationKey = destKey, UploadId = upload.UploadId, PartNumber = n, FirstByte = first, LastByte = last,
                }, ct), target, ct).ConfigureAwait(false);
                parts.Add(new PartETag(n, part.ETag)
                {
                    ChecksumCRC32 = part.ChecksumCRC32, ChecksumCRC32C = part.ChecksumCRC32C, ChecksumSHA1 = part.ChecksumSHA1, ChecksumSHA256 = part.ChecksumSHA256,
                });
            }
            var done = await S3Client.Call(() => destination.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            { BucketName = destBucket, Key = destKey, UploadId = upload.UploadId, PartETags = parts }, ct), target, ct).ConfigureAwait(false);
            return done.VersionId;
        }
        catch
        {
            try { await destination.AbortMultipartUploadAsync(destBucket, destKey, upload.UploadId, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception ex) when (ex is AmazonS3Exception or HttpRequestException) { /* an upload left behind is cleaned up by lifecycle rules */ }
            throw;
        }
    }
}
