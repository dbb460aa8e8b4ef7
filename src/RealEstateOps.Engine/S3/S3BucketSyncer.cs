using System.Diagnostics;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

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
    /// <summary>The largest share of the destination's objects (in percent) a sync may delete; above it the sync is refused (SyncDeleteLimitExceeded).</summary>
    public int MaxDeletePercent { get; init; } = DefaultMaxDeletePercent;
    /// <summary>Delete even when the source is empty or more than <see cref="MaxDeletePercent"/> of the destination would go.</summary>
    public bool AllowMassDelete { get; init; }
    public int ThrottleLimit { get; init; } = DefaultThrottleLimit;
    public long MultipartThreshold { get; init; } = S3Copier.DefaultMultipartThreshold;
    public long PartSize { get; init; } = S3Copier.DefaultPartSize;

    /// <summary>Well above the aws CLI's 10 concurrent requests: server-side copies cost the client almost nothing.</summary>
    public const int DefaultThrottleLimit = 32;
    public const int DefaultMaxDeletePercent = 50;
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
/// What a sync will do, from both listings, before anything changes: how many objects the source and the
/// destination have, which the source has that must be copied (or compared by checksum), and which
/// destination objects -Delete would delete.
/// </summary>
public sealed class S3SyncPlan
{
    internal S3SyncPlan(S3SyncRequest request, IReadOnlyList<S3BucketSyncer.Item> items, IReadOnlyList<string> toDelete, long destinationCount, TimeSpan listing)
    {
        Request = request;
        Items = items;
        ToDelete = toDelete;
        DestinationCount = destinationCount;
        ListingDuration = listing;
    }

    public S3SyncRequest Request { get; }
    internal IReadOnlyList<S3BucketSyncer.Item> Items { get; }
    internal TimeSpan ListingDuration { get; }
    public long SourceCount => Items.Count;
    public long DestinationCount { get; }
    /// <summary>Source objects the destination lacks, or has with another size (or older, for SizeAndTime).</summary>
    public long ToCopy => Items.LongCount(i => i.Decided);
    /// <summary>Same-size objects whose stored checksums decide (Compare Checksum).</summary>
    public long ToCompare => Items.LongCount(i => !i.Decided && i.Request.Compare == S3SyncCompare.Checksum && i.There is not null);
    /// <summary>Destination keys (relative to its prefix) that the source does not have: deleted with -Delete.</summary>
    public IReadOnlyList<string> ToDelete { get; }
    public long DeleteCount => Request.Delete ? ToDelete.Count : 0;

    /// <summary>The action, with counts, that ShouldProcess asks about and the journal records.</summary>
    public string Describe()
    {
        var r = Request;
        var copy = r.Compare == S3SyncCompare.Checksum
            ? $"copy {N(ToCopy)} objects missing or of another size from {r.Source} and compare {N(ToCompare)} same-size objects by checksum"
            : $"copy {N(ToCopy)} objects missing or older than in {r.Source}";
        var text = DeleteCount > 0
            ? $"Delete {N(DeleteCount)} objects under {r.Destination} that are not in the source (of {N(DestinationCount)} there), and {copy}"
            : char.ToUpperInvariant(copy[0]) + copy[1..];
        return text + $" ({N(SourceCount)} in the source)";
    }

    internal static string N(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The runbook's "aws s3 sync" between buckets, server-side: lists both sides (the plan), then copies what
/// is missing or different (size and last-modified like aws s3 sync, or checksums) and optionally deletes
/// extras, with a bounded pool of parallel copies. A deletion is refused before anything changes when the
/// source is empty (SyncSourceEmpty) or it would remove more than a set share of the destination
/// (SyncDeleteLimitExceeded), unless AllowMassDelete. Each copy is atomic, so an interrupted sync loses
/// nothing and a rerun copies only what is still missing.
/// </summary>
public static class S3BucketSyncer
{
    internal sealed record Entry(string Key, long Size, DateTimeOffset LastModified, string? ETag, string? ChecksumAlgorithm);

    /// <summary>One source object and what the destination has under its key; Decided when the listing alone says it must be copied.</summary>
    internal sealed record Item(Entry Source, Entry? There, bool Decided, S3SyncRequest Request);

    public static void Validate(S3SyncRequest request)
    {
        if (request.ThrottleLimit < 1) throw new OpsException("S3ThrottleLimitInvalid", OpsErrorCategory.InvalidArgument, "-ThrottleLimit must be at least 1.", request.ThrottleLimit);
        if (request.MaxDeletePercent is < 0 or > 100)
            throw new OpsException("SyncMaxDeletePercentInvalid", OpsErrorCategory.InvalidArgument, "-MaxDeletePercent must be from 0 to 100.", request.MaxDeletePercent);
        var s = request.Source;
        var d = request.Destination;
        if (s.Bucket == d.Bucket && (d.Prefix.StartsWith(s.Prefix, StringComparison.Ordinal) || s.Prefix.StartsWith(d.Prefix, StringComparison.Ordinal)))
            throw new OpsException("S3SyncDestinationInsideSource", OpsErrorCategory.InvalidArgument,
                $"The destination {d} overlaps the source {s}: a sync would copy its own output. Choose a destination outside the source prefix.", d.ToString());
    }

    /// <summary>Plans, checks the plan's deletions, and carries it out: the whole sync in one call.</summary>
    public static async Task<S3SyncResult> SyncAsync(S3Session session, S3SyncRequest request, Action<OpsException> onError, IProgress<S3SyncProgress>? progress, CancellationToken ct,
        S3ChangeLog? log = null)
    {
        var plan = await PlanAsync(session, request, ct).ConfigureAwait(false);
        CheckDeletes(plan);
        return await ExecuteAsync(session, plan, onError, progress, log, ct).ConfigureAwait(false);
    }

    /// <summary>Lists both sides (reads only) and decides what a sync would copy and delete.</summary>
    public static async Task<S3SyncPlan> PlanAsync(S3Session session, S3SyncRequest request, CancellationToken ct)
    {
        Validate(request);
        var watch = Stopwatch.StartNew();
        var source = await session.ForBucketAsync(request.Source.Bucket, request.SourceRegion, ct).ConfigureAwait(false);
        var destination = await session.ForBucketAsync(request.Destination.Bucket, request.DestinationRegion, ct).ConfigureAwait(false);

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
    /// Refuses, before anything changes, a deletion whose source is empty (SyncSourceEmpty: a wrong or empty
    /// source prefix would empty the destination) or that would delete more than MaxDeletePercent of the
    /// destination (SyncDeleteLimitExceeded), unless the request says AllowMassDelete.
    /// </summary>
    public static void CheckDeletes(S3SyncPlan plan)
    {
        var r = plan.Request;
        if (plan.DeleteCount == 0 || r.AllowMassDelete) return;
        if (plan.SourceCount == 0)
            throw new OpsException("SyncSourceEmpty", OpsErrorCategory.InvalidOperation,
                $"The source {r.Source} has no objects, so -Delete would delete all {S3SyncPlan.N(plan.DeleteCount)} objects under {r.Destination}. Nothing was copied or deleted. " +
                "Check the source (bucket, prefix, region); if emptying the destination is what you want, add -AllowMassDelete.", r.Source.ToString())
            { RecommendedAction = "Check the source location; to delete every destination object on purpose, run it again with -AllowMassDelete." };
        if (plan.DeleteCount * 100 > (long)r.MaxDeletePercent * plan.DestinationCount)
            throw new OpsException("SyncDeleteLimitExceeded", OpsErrorCategory.LimitsExceeded,
                $"-Delete would delete {S3SyncPlan.N(plan.DeleteCount)} of the {S3SyncPlan.N(plan.DestinationCount)} objects under {r.Destination} " +
                $"({plan.DeleteCount * 100.0 / plan.DestinationCount:0.#}%), more than -MaxDeletePercent {r.MaxDeletePercent}% allows. Nothing was copied or deleted. " +
                "Check the source and destination; to delete that many on purpose, raise -MaxDeletePercent or add -AllowMassDelete.", r.Destination.ToString())
            { RecommendedAction = "Check the locations; to delete that share on purpose, raise -MaxDeletePercent or add -AllowMassDelete." };
    }

    /// <summary>Carries out a plan: copies (compared by checksum first when asked), then deletions when the request says Delete.</summary>
    public static async Task<S3SyncResult> ExecuteAsync(S3Session session, S3SyncPlan plan, Action<OpsException> onError, IProgress<S3SyncProgress>? progress,
        S3ChangeLog? log, CancellationToken ct)
    {
        var request = plan.Request;
        var watch = Stopwatch.StartNew();
        var source = await session.ForBucketAsync(request.Source.Bucket, request.SourceRegion, ct).ConfigureAwait(false);
        var destination = await session.ForBucketAsync(request.Destination.Bucket, request.DestinationRegion, ct).ConfigureAwait(false);
        var result = new S3SyncResult { Source = request.Source.ToString(), Destination = request.Destination.ToString(), Compare = request.Compare };
        long listed = plan.SourceCount, doneCount = 0;
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
                        await S3Copier.CopyAsync(destination, new S3Copier.Source(request.Source.Bucket, request.Source.Prefix + entry.Key, null, entry.Size, entry.ChecksumAlgorithm),
                            request.Destination.Bucket, destKey, request.MultipartThreshold, request.PartSize, t).ConfigureAwait(false);
                        log?.End(destKey, "copied");
                        Done(true, false, entry.Size);
                    }
                    catch (OpsException ex)
                    {
                        if (began) log?.End(destKey, null);
                        onError(ex);
                        Done(false, true, 0);
                    }
                }).ConfigureAwait(false);
            }

            if (plan.DeleteCount > 0)
            {
                foreach (var chunk in plan.ToDelete.Chunk(1000))
                {
                    var keys = chunk;
                    await workers.QueueAsync(t => DeleteAsync(destination, request.Destination, keys, result, gate, onError, log, t)).ConfigureAwait(false);
                }
            }
            await workers.CompleteAsync().ConfigureAwait(false);
        }
        result.Duration = plan.ListingDuration + watch.Elapsed;
        progress?.Report(new S3SyncProgress(listed, doneCount, result.Copied, result.Bytes, true));
        return result;
    }

    private static async IAsyncEnumerable<Entry> ListAsync(IAmazonS3 s3, S3Location location, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix.Length == 0 ? null : location.Prefix, MaxKeys = 1000 };
        var paging = new S3Paging("ListObjectsV2", location.ToString(), (string?)null);
        while (true)
        {
            var page = await S3Session.Call(() => s3.ListObjectsV2Async(request, ct), location.ToString(), ct).ConfigureAwait(false);
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
        S3Session.Call(() => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED }, ct), $"s3://{bucket}/{key}", ct);

    private static async Task DeleteAsync(IAmazonS3 s3, S3Location destination, string[] keys, S3SyncResult result, object gate, Action<OpsException> onError,
        S3ChangeLog? log, CancellationToken ct)
    {
        var request = new DeleteObjectsRequest { BucketName = destination.Bucket, Quiet = true, Objects = new List<KeyVersion>() };
        foreach (var k in keys) request.Objects.Add(new KeyVersion { Key = destination.Prefix + k });
        log?.Begin(request.Objects.Select(o => o.Key));
        DeleteObjectsResponse response;
        try
        {
            response = await S3Session.Call(() => s3.DeleteObjectsAsync(request, ct), destination.ToString(), ct).ConfigureAwait(false);
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
