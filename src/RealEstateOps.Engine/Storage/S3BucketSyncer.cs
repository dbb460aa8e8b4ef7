using System.Diagnostics;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Storage;

public enum S3SyncCompare { SizeAndTime, Checksum }

public sealed class S3SyncRequest
{
    public required S3Location Source { get; init; }
    public required S3Location Destination { get; init; }
    public string? SourceRegion { get; init; }
    public string? DestinationRegion { get; init; }
    public S3SyncCompare Compare { get; init; } = S3SyncCompare.SizeAndTime;
    /// <summary>Delete destination objects that the source does not have.</summary>
    public bool Delete { get; init; }
    public int ThrottleLimit { get; init; } = DefaultThrottleLimit;
    public long MultipartThreshold { get; init; } = S3Copier.DefaultMultipartThreshold;
    public long PartSize { get; init; } = S3Copier.DefaultPartSize;

    /// <summary>Well above the aws CLI's 10 concurrent requests: server-side copies cost the client almost nothing.</summary>
    public const int DefaultThrottleLimit = 32;
}

/// <summary>What a sync did.</summary>
public sealed class S3SyncResult
{
    public string Source { get; init; } = "";
    public string Destination { get; init; } = "";
    public S3SyncCompare Compare { get; init; }
    public long Copied { get; set; }
    public long Skipped { get; set; }
    public long Deleted { get; set; }
    public long Failed { get; set; }
    /// <summary>Bytes copied.</summary>
    public long Bytes { get; set; }
    public TimeSpan Duration { get; set; }
}

public sealed record S3SyncProgress(long Listed, long Done, long Copied, long Bytes, bool ListingDone);

/// <summary>
/// The runbook's "aws s3 sync" between buckets, server-side: lists both sides, copies what is missing or
/// different (size and last-modified like aws s3 sync, or checksums), optionally deletes extras, with a
/// bounded pool of parallel copies. Each copy is atomic, so an interrupted sync loses nothing and a rerun
/// copies only what is still missing.
/// </summary>
public static class S3BucketSyncer
{
    private sealed record Entry(string Key, long Size, DateTimeOffset LastModified, string? ETag, string? ChecksumAlgorithm);

    public static void Validate(S3SyncRequest request)
    {
        if (request.ThrottleLimit < 1) throw new OpsException("S3ThrottleLimitInvalid", OpsErrorCategory.InvalidArgument, "-ThrottleLimit must be at least 1.", request.ThrottleLimit);
        var s = request.Source;
        var d = request.Destination;
        if (s.Bucket == d.Bucket && (d.Prefix.StartsWith(s.Prefix, StringComparison.Ordinal) || s.Prefix.StartsWith(d.Prefix, StringComparison.Ordinal)))
            throw new OpsException("S3SyncDestinationInsideSource", OpsErrorCategory.InvalidArgument,
                $"The destination {d} overlaps the source {s}: a sync would copy its own output. Choose a destination outside the source prefix.", d.ToString());
    }

    public static async Task<S3SyncResult> SyncAsync(S3Session session, S3SyncRequest request, Action<OpsException> onError, IProgress<S3SyncProgress>? progress, CancellationToken ct)
    {
        Validate(request);
        var watch = Stopwatch.StartNew();
        var source = await session.ForBucketAsync(request.Source.Bucket, request.SourceRegion, ct).ConfigureAwait(false);
        var destination = await session.ForBucketAsync(request.Destination.Bucket, request.DestinationRegion, ct).ConfigureAwait(false);
        var result = new S3SyncResult { Source = request.Source.ToString(), Destination = request.Destination.ToString(), Compare = request.Compare };

        // The destination side is read first (keys relative to its prefix), then the source streams past it.
        var existing = new Dictionary<string, Entry>(StringComparer.Ordinal);
        await foreach (var e in ListAsync(destination, request.Destination, ct).ConfigureAwait(false)) existing[e.Key] = e;

        long listed = 0, doneCount = 0;
        var gate = new object();
        void Done(bool copied, bool failed, long bytes)
        {
            lock (gate)
            {
                if (failed) result.Failed++;
                else if (copied) { result.Copied++; result.Bytes += bytes; }
                else result.Skipped++;
                doneCount++;
                progress?.Report(new S3SyncProgress(listed, doneCount, result.Copied, result.Bytes, false));
            }
        }

        await using (var workers = new S3Workers(request.ThrottleLimit, ct))
        {
            await foreach (var item in ListAsync(source, request.Source, workers.Token).ConfigureAwait(false))
            {
                Interlocked.Increment(ref listed);
                existing.Remove(item.Key, out var there);
                var entry = item;
                await workers.QueueAsync(async t =>
                {
                    try
                    {
                        if (!await NeedsCopyAsync(source, destination, request, entry, there, t).ConfigureAwait(false)) { Done(false, false, 0); return; }
                        await S3Copier.CopyAsync(destination, new S3Copier.Source(request.Source.Bucket, request.Source.Prefix + entry.Key, null, entry.Size, entry.ChecksumAlgorithm),
                            request.Destination.Bucket, request.Destination.Prefix + entry.Key, request.MultipartThreshold, request.PartSize, t).ConfigureAwait(false);
                        Done(true, false, entry.Size);
                    }
                    catch (OpsException ex)
                    {
                        onError(ex);
                        Done(false, true, 0);
                    }
                }).ConfigureAwait(false);
            }

            if (request.Delete && existing.Count > 0)
            {
                foreach (var chunk in existing.Keys.Order(StringComparer.Ordinal).Chunk(1000))
                {
                    var keys = chunk;
                    await workers.QueueAsync(t => DeleteAsync(destination, request.Destination, keys, result, gate, onError, t)).ConfigureAwait(false);
                }
            }
            await workers.CompleteAsync().ConfigureAwait(false);
        }
        result.Duration = watch.Elapsed;
        progress?.Report(new S3SyncProgress(listed, doneCount, result.Copied, result.Bytes, true));
        return result;
    }

    private static async IAsyncEnumerable<Entry> ListAsync(IAmazonS3 s3, S3Location location, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix.Length == 0 ? null : location.Prefix, MaxKeys = 1000 };
        while (true)
        {
            var page = await S3Session.Call(() => s3.ListObjectsV2Async(request, ct), location.ToString()).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? new List<S3Object>())
            {
                if (o.Key.EndsWith('/') && o.Size == 0) continue; // folder placeholders, as aws s3 sync skips them
                yield return new Entry(o.Key[location.Prefix.Length..], o.Size ?? 0, S3Time.Utc(o.LastModified), o.ETag?.Trim('"'), o.ChecksumAlgorithm?.FirstOrDefault());
            }
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private static async Task<bool> NeedsCopyAsync(IAmazonS3 source, IAmazonS3 destination, S3SyncRequest request, Entry item, Entry? there, CancellationToken ct)
    {
        if (there is null || there.Size != item.Size) return true;
        if (request.Compare == S3SyncCompare.SizeAndTime) return item.LastModified > there.LastModified;

        // Same size: compare the stored checksums (the blind spot of size-and-time).
        var a = await HeadAsync(source, request.Source.Bucket, request.Source.Prefix + item.Key, ct).ConfigureAwait(false);
        var b = await HeadAsync(destination, request.Destination.Bucket, request.Destination.Prefix + item.Key, ct).ConfigureAwait(false);
        foreach (var (x, y) in new[] { (a.ChecksumCRC64NVME, b.ChecksumCRC64NVME), (a.ChecksumCRC32C, b.ChecksumCRC32C), (a.ChecksumCRC32, b.ChecksumCRC32), (a.ChecksumSHA256, b.ChecksumSHA256), (a.ChecksumSHA1, b.ChecksumSHA1) })
            if (!string.IsNullOrEmpty(x) && !string.IsNullOrEmpty(y)) return x != y;
        // No checksum in common: plain MD5 ETags (single-part, not KMS) still tell; otherwise copy to be sure.
        var ea = a.ETag?.Trim('"');
        var eb = b.ETag?.Trim('"');
        return ea is null || eb is null || ea.Contains('-') || eb.Contains('-') || ea != eb;
    }

    private static Task<GetObjectMetadataResponse> HeadAsync(IAmazonS3 s3, string bucket, string key, CancellationToken ct) =>
        S3Session.Call(() => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED }, ct), $"s3://{bucket}/{key}");

    private static async Task DeleteAsync(IAmazonS3 s3, S3Location destination, string[] keys, S3SyncResult result, object gate, Action<OpsException> onError, CancellationToken ct)
    {
        var request = new DeleteObjectsRequest { BucketName = destination.Bucket, Quiet = true, Objects = new List<KeyVersion>() };
        foreach (var k in keys) request.Objects.Add(new KeyVersion { Key = destination.Prefix + k });
        DeleteObjectsResponse response;
        try
        {
            response = await S3Session.Call(() => s3.DeleteObjectsAsync(request, ct), destination.ToString()).ConfigureAwait(false);
        }
        catch (DeleteObjectsException ex)
        {
            response = ex.Response;
        }
        catch (OpsException ex)
        {
            onError(ex);
            lock (gate) result.Failed += keys.Length;
            return;
        }
        var errors = response.DeleteErrors ?? new List<DeleteError>();
        foreach (var e in errors) onError(Aws.AwsErrors.From(e.Code, e.Message, System.Net.HttpStatusCode.OK, null, $"s3://{destination.Bucket}/{e.Key}"));
        lock (gate)
        {
            result.Deleted += keys.Length - errors.Count;
            result.Failed += errors.Count;
        }
    }
}
