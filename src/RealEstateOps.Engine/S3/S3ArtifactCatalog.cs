using System.Runtime.CompilerServices;
using Amazon.S3.Model;
using RealEstateOps.Engine.Backup;

namespace RealEstateOps.Engine.S3;

/// <summary>The backups bucket's listing for the Backup domain: ListObjectsV2, one page at a time as the consumer asks.</summary>
public sealed class S3ArtifactCatalog : IArtifactCatalog
{
    private readonly S3Client _client;

    public S3ArtifactCatalog(S3Client client) => _client = client;

    public async IAsyncEnumerable<ArtifactObject> ListAsync(string bucket, string? prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        S3Names.CheckBucket(bucket);
        var s3 = await _client.ForBucketAsync(bucket, null, ct).ConfigureAwait(false);
        var target = $"s3://{bucket}/{prefix}";
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = string.IsNullOrEmpty(prefix) ? null : prefix, MaxKeys = 1000 };
        var paging = new S3Paging("ListObjectsV2", target, (string?)null);
        while (true)
        {
            var page = await S3Client.Call(() => s3.ListObjectsV2Async(request, ct), target, ct).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? new List<S3Object>())
                yield return new ArtifactObject(bucket, o.Key, o.Size ?? 0, S3Time.Utc(o.LastModified));
            if (page.IsTruncated != true) yield break;
            paging.Next(page.NextContinuationToken);
            request.ContinuationToken = page.NextContinuationToken;
        }
    }
}
