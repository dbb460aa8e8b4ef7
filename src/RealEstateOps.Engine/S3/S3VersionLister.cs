using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// Streams object versions and delete markers page by page (key and version markers together), so memory
/// stays flat: the next page is requested only when the consumer asks for the item after the last one.
/// </summary>
public sealed class S3VersionLister
{
    private readonly S3Client _client;

    public S3VersionLister(S3Client client) => _client = client;

    /// <summary>Lists in the bucket's own region.</summary>
    public async IAsyncEnumerable<S3Version> ListAsync(S3VersionQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        S3Names.CheckBucket(query.Bucket);
        if (query.Key is not null) S3Names.CheckKey(query.Key);
        var s3 = await _client.ForBucketAsync(query.Bucket, null, ct).ConfigureAwait(false);
        await foreach (var v in ListAsync(s3, query, ct).ConfigureAwait(false)) yield return v;
    }

    /// <summary>Lists with an SDK client already in the bucket's region.</summary>
    internal static async IAsyncEnumerable<S3Version> ListAsync(IAmazonS3 s3, S3VersionQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var v in ListAllAsync(s3, query.Bucket, query.Key ?? query.Prefix, query.Key, ct).ConfigureAwait(false))
        {
            if (query.DeletedOnly && !(v.IsLatest && v.IsDeleteMarker)) continue;
            if (query.Before is { } before && v.LastModified >= before) continue;
            yield return v;
        }
    }

    /// <summary>
    /// Every version under a prefix (or of one key) in S3's order: keys ascending, each key's versions newest first. Each page
    /// is put in that order here (<see cref="InS3Order"/>): S3 interleaves versions and delete markers newest first, but
    /// S3-compatible servers may answer with every version of a page before every delete marker. Pages follow one another
    /// in key order (the paging markers say where a page ended), so a key's entries on the next page are older ones.
    /// </summary>
    internal static async IAsyncEnumerable<S3Version> ListAllAsync(IAmazonS3 s3, string bucket, string? prefix, string? exactKey, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var request = new ListVersionsRequest { BucketName = bucket, Prefix = string.IsNullOrEmpty(prefix) ? null : prefix, MaxKeys = 1000 };
        var paging = new S3Paging("ListObjectVersions", $"s3://{bucket}/{prefix}", null, null);
        while (true)
        {
            var page = await S3Client.Call(() => s3.ListVersionsAsync(request, ct), $"s3://{bucket}/{prefix}", ct).ConfigureAwait(false);
            var entries = (page.Versions ?? new List<Amazon.S3.Model.S3ObjectVersion>()).Select(v => new S3Version
            {
                Bucket = bucket, Key = v.Key, VersionId = v.VersionId ?? "null", IsLatest = v.IsLatest == true, IsDeleteMarker = v.IsDeleteMarker == true,
                LastModified = S3Time.Utc(v.LastModified),
                Size = v.Size ?? 0, ETag = v.ETag?.Trim('"'), StorageClass = v.StorageClass?.Value,
            });
            foreach (var v in InS3Order(entries))
            {
                if (exactKey is not null)
                {
                    var order = string.CompareOrdinal(v.Key, exactKey);
                    if (order > 0) yield break;
                    if (order != 0) continue;
                }
                yield return v;
            }
            if (page.IsTruncated != true) yield break;
            paging.Next(page.NextKeyMarker, page.NextVersionIdMarker);
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    /// <summary>
    /// Versions in S3's order, decided by what each entry says and never by where it stood: keys ascending (ordinal), and
    /// each key's entries newest first, the one marked IsLatest before the others, then by LastModified, descending. Entries
    /// that tie keep the order they came in.
    /// </summary>
    internal static IEnumerable<S3Version> InS3Order(IEnumerable<S3Version> versions) =>
        versions.OrderBy(v => v.Key, StringComparer.Ordinal).ThenByDescending(v => v.IsLatest).ThenByDescending(v => v.LastModified);

    /// <summary>Groups versions in S3's order (<see cref="ListAllAsync"/>) by key, streaming: a key's entries are together, also across pages.</summary>
    internal static async IAsyncEnumerable<IReadOnlyList<S3Version>> ByKeyAsync(IAsyncEnumerable<S3Version> versions, [EnumeratorCancellation] CancellationToken ct = default)
    {
        List<S3Version>? group = null;
        await foreach (var v in versions.WithCancellation(ct).ConfigureAwait(false))
        {
            if (group is not null && group[0].Key != v.Key)
            {
                yield return group;
                group = null;
            }
            (group ??= new List<S3Version>()).Add(v);
        }
        if (group is not null) yield return group;
    }
}
