using System.Diagnostics;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// The runbook's "aws s3 sync" between buckets, server-side: lists both sides (the plan), then copies what
/// is missing or different (size and last-modified like aws s3 sync, or checksums) and optionally deletes
/// extras, with a bounded pool of parallel copies. A deletion is refused before anything changes when the
/// source is empty (SyncSourceEmpty) or it would remove more than a set share of the destination
/// (SyncDeleteLimitExceeded), unless AllowMassDelete. Each copy is atomic, so an interrupted sync loses
/// nothing and a rerun copies only what is still missing.
/// </summary>
public sealed class S3BucketSyncer
{
    private readonly S3Client _client;
    private readonly S3Copier _copier;

    public S3BucketSyncer(S3Client client)
    {
        _client = client;
        _copier = new S3Copier(client);
    }

    /// <summary>At most one progress event per this many objects done (and the last one).</summary>
    private const int ProgressEvery = 50;

    internal sealed record Entry(string Key, long Size, DateTimeOffset LastModified, string? ETag, string? ChecksumAlgorithm);

    /// <summary>One source object and what the destination has under its key; Decided when the listing alone says it must be copied.</summary>
    internal sealed record Item(Entry Source, Entry? There, bool Decided, S3SyncRequest Request);

    /// <summary>Plans, checks the plan's deletions, and carries it out: the whole sync in one call.</summary>
    public async Task<S3SyncResult> SyncAsync(S3SyncRequest request, IProgress<OpsEvent>? events = null, S3ChangeLog? log = null, CancellationToken ct = default)
    {
        var plan = await PlanAsync(request, ct).ConfigureAwait(false);
        plan.CheckDeletes();
        return await ExecuteAsync(plan, events, log, ct).ConfigureAwait(false);
    }

    /// <summary>Lists both sides (reads only) and decides what a sync would copy and delete.</summary>
    public async Task<S3SyncPlan> PlanAsync(S3SyncRequest request, CancellationToken ct = default)
    {
        request.Validate();
        var watch = Stopwatch.StartNew();
        var source = await _client.ForBucketAsync(request.Source.Bucket, request.SourceRegion, ct).ConfigureAwait(false);
        var destination = await _client.ForBucketAsync(request.Destination.Bucket, request.DestinationRegion, ct).ConfigureAwait(false);

        // The destination side is read first (keys relative to its prefix), then the source is matched against it.
        var existing = new Dictionary<string, Entry>(StringComparer.Ordinal);
        await foreach (var e in ListAsync(destination, request.Destination, ct).ConfigureAwait(false)) existing[e.Key] = e;
        var destinationCount = existing.Count;
        var items = new List<Item>();
        await foreach (var e in ListAsync(source, request.Source, ct).ConfigureAwait(false))
        {
            existing.Remove(e.Key, out var there);
            var decided = there is null || there.Size != e.Size || (request.Compare == S3SyncCompare.SizeAndTime && e.LastModified > there.LastModified);
            items.Add(new Item(e, there, decided, request));
        }
        return new S3SyncPlan(request, items, existing.Keys.Order(StringComparer.Ordinal).ToList(), destinationCount, watch.Elapsed);
    }

    /// <summary>
    /// Carries out a plan: copies (compared by checksum first when asked), then deletions when the request says Delete.
    /// A failed object is an OpsItemFailed event and the sync goes on; progress is an OpsProgress event every 50 objects.
    /// <paramref name="log"/> records the keys changed, for a stop's account.
    /// </summary>
    public async Task<S3SyncResult> ExecuteAsync(S3SyncPlan plan, IProgress<OpsEvent>? events = null, S3ChangeLog? log = null, CancellationToken ct = default)
    {
        var request = plan.Request;
        var watch = Stopwatch.StartNew();
        var source = await _client.ForBucketAsync(request.Source.Bucket, request.SourceRegion, ct).ConfigureAwait(false);
        var destination = await _client.ForBucketAsync(request.Destination.Bucket, request.DestinationRegion, ct).ConfigureAwait(false);
        var result = new S3SyncResult { Source = request.Source.ToString(), Destination = request.Destination.ToString(), Compare = request.Compare };
        long listed = plan.SourceCount, doneCount = 0, reported = 0;
        var gate = new object();
        var activity = $"Sync-S3Bucket {request.Source} -> {request.Destination}";
        string Status(bool finished) =>
            $"{doneCount} of {listed}{(finished ? "" : "+")} objects compared, {result.Copied} copied ({result.Bytes / 1048576.0:0.0} MiB)";
        void Done(bool copied, bool failed, long bytes)
        {
            lock (gate)
            {
                if (failed) result.Failed++;
                else if (copied) { result.Copied++; result.Bytes += bytes; }
                else result.Skipped++;
                doneCount++;
                if (doneCount - reported < ProgressEvery) return;
                reported = doneCount;
                events?.Report(new OpsProgress(1, activity, Status(false)));
            }
        }
        void Failed(OpsException ex) => events.ItemFailed(ex);

        await using (var workers = new S3Workers(request.ThrottleLimit, ct))
        {
            foreach (var item in plan.Items)
            {
                var entry = item.Source;
                var there = item.There;
                var decided = item.Decided;
                await workers.QueueAsync(async t =>
                {
                    var destKey = request.Destination.Prefix + entry.Key;
                    var began = false;
                    try
                    {
                        if (!decided && (request.Compare == S3SyncCompare.SizeAndTime || !await DiffersAsync(source, destination, request, entry, t).ConfigureAwait(false)))
                        {
                            Done(false, false, 0);
                            return;
                        }
                        log?.Begin(destKey);
                        began = true;
                        await _copier.CopyAsync(new S3CopyRequest
                        {
                            SourceBucket = request.Source.Bucket, SourceKey = request.Source.Prefix + entry.Key, Size = entry.Size, ChecksumAlgorithm = entry.ChecksumAlgorithm,
                            DestinationBucket = request.Destination.Bucket, DestinationKey = destKey, DestinationRegion = request.DestinationRegion,
                            MultipartThreshold = request.MultipartThreshold, PartSize = request.PartSize,
                        }, t).ConfigureAwait(false);
                        log?.End(destKey, "copied");
                        Done(true, false, entry.Size);
                    }
                    catch (OpsException ex)
                    {
                        if (began) log?.End(destKey, null);
                        Failed(ex);
                        Done(false, true, 0);
                    }
                }).ConfigureAwait(false);
            }

            if (plan.DeleteCount > 0)
            {
                foreach (var chunk in plan.ToDelete.Chunk(1000))
                {
                    var keys = chunk;
                    await workers.QueueAsync(t => DeleteAsync(destination, request.Destination, keys, result, gate, Failed, log, t)).ConfigureAwait(false);
                }
            }
            await workers.CompleteAsync().ConfigureAwait(false);
        }
        result.Duration = plan.ListingDuration + watch.Elapsed;
        events?.Report(new OpsProgress(1, activity, Status(true), listed > 0 ? (int)(doneCount * 100 / listed) : null, Completed: true));
        return result;
    }

    private static async IAsyncEnumerable<Entry> ListAsync(IAmazonS3 s3, S3Location location, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix.Length == 0 ? null : location.Prefix, MaxKeys = 1000 };
        var paging = new S3Paging("ListObjectsV2", location.ToString(), (string?)null);
        while (true)
        {
            var page = await S3Client.Call(() => s3.ListObjectsV2Async(request, ct), location.ToString(), ct).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? new List<S3Object>())
            {
                if (o.Key.EndsWith('/') && o.Size == 0) continue; // folder placeholders, as aws s3 sync skips them
                yield return new Entry(o.Key[location.Prefix.Length..], o.Size ?? 0, S3Time.Utc(o.LastModified), o.ETag?.Trim('"'), o.ChecksumAlgorithm?.FirstOrDefault());
            }
            if (page.IsTruncated != true) yield break;
            paging.Next(page.NextContinuationToken);
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Same size: whether the stored checksums (or plain MD5 ETags) differ (the blind spot of size-and-time).</summary>
    private static async Task<bool> DiffersAsync(IAmazonS3 source, IAmazonS3 destination, S3SyncRequest request, Entry item, CancellationToken ct)
    {
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
        S3Client.Call(() => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED }, ct), $"s3://{bucket}/{key}", ct);

    private static async Task DeleteAsync(IAmazonS3 s3, S3Location destination, string[] keys, S3SyncResult result, object gate, Action<OpsException> onError,
        S3ChangeLog? log, CancellationToken ct)
    {
        var request = new DeleteObjectsRequest { BucketName = destination.Bucket, Quiet = true, Objects = new List<KeyVersion>() };
        foreach (var k in keys) request.Objects.Add(new KeyVersion { Key = destination.Prefix + k });
        log?.Begin(request.Objects.Select(o => o.Key));
        DeleteObjectsResponse response;
        try
        {
            response = await S3Client.Call(() => s3.DeleteObjectsAsync(request, ct), destination.ToString(), ct).ConfigureAwait(false);
        }
        catch (DeleteObjectsException ex)
        {
            response = ex.Response;
        }
        catch (OpsException ex)
        {
            foreach (var o in request.Objects) log?.End(o.Key, null);
            onError(ex);
            lock (gate) result.Failed += keys.Length;
            return;
        }
        var errors = response.DeleteErrors ?? new List<DeleteError>();
        var failed = errors.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var o in request.Objects) log?.End(o.Key, failed.Contains(o.Key) ? null : "deleted");
        foreach (var e in errors) onError(Aws.AwsErrors.From(e.Code, e.Message, System.Net.HttpStatusCode.OK, null, $"s3://{destination.Bucket}/{e.Key}"));
        lock (gate)
        {
            result.Deleted += keys.Length - errors.Count;
            result.Failed += errors.Count;
        }
    }
}
