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

    /// <summary>Plans, checks the plan's deletions, makes the destination bucket when asked to, and carries it out: the whole sync in one call.</summary>
    public async Task<S3SyncResult> SyncAsync(S3SyncRequest request, IProgress<OpsEvent>? events = null, S3ChangeLog? log = null, CancellationToken ct = default)
    {
        var plan = await PlanAsync(request, ct).ConfigureAwait(false);
        plan.CheckDeletes();
        if (plan.DestinationSetup != S3DestinationSetup.None) await PrepareDestinationAsync(plan, events, ct).ConfigureAwait(false);
        return await ExecuteAsync(plan, events, log, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists both sides (reads only) and decides what a sync would copy and delete. A bucket that does not exist is NoSuchBucket,
    /// naming the bucket and its side; with CreateDestination a missing destination is planned as empty and to be created
    /// (an existing one that holds nothing, to be configured; one that holds anything is refused), with the source's settings read.
    /// </summary>
    public async Task<S3SyncPlan> PlanAsync(S3SyncRequest request, CancellationToken ct = default)
    {
        request.Validate();
        var watch = Stopwatch.StartNew();
        var source = await OpenAsync(request.Source, request.SourceRegion, Side.Source, request, ct).ConfigureAwait(false);

        // The destination side is read first (keys relative to its prefix), then the source is matched against it.
        var existing = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var setup = S3DestinationSetup.None;
        string? destinationRegion = null;
        try
        {
            var destination = await OpenAsync(request.Destination, request.DestinationRegion, Side.Destination, request, ct).ConfigureAwait(false);
            await foreach (var e in ListAsync(destination, request.Destination, Side.Destination, request, ct).ConfigureAwait(false)) existing[e.Key] = e;
            if (request.CreateDestination)
            {
                await CheckEmptyAsync(destination, request, ct).ConfigureAwait(false);
                setup = S3DestinationSetup.Configure;
                destinationRegion = await _client.RegionOfAsync(request.Destination.Bucket, request.DestinationRegion, ct).ConfigureAwait(false);
            }
        }
        catch (OpsException ex) when (ex.ErrorId == "NoSuchBucket" && request.CreateDestination && ex.Target is S3Location missing && missing == request.Destination)
        {
            setup = S3DestinationSetup.Create;
            destinationRegion = request.DestinationRegion ?? _client.Target.Region.Value;
        }
        var settings = setup == S3DestinationSetup.None ? null : await ReadSettingsAsync(source, request.Source.Bucket, ct).ConfigureAwait(false);
        var destinationCount = existing.Count;
        var items = new List<Item>();
        await foreach (var e in ListAsync(source, request.Source, Side.Source, request, ct).ConfigureAwait(false))
        {
            existing.Remove(e.Key, out var there);
            var decided = there is null || there.Size != e.Size || (request.Compare == S3SyncCompare.SizeAndTime && e.LastModified > there.LastModified);
            items.Add(new Item(e, there, decided, request));
        }
        return new S3SyncPlan(request, items, existing.Keys.Order(StringComparer.Ordinal).ToList(), destinationCount, watch.Elapsed, setup, destinationRegion, settings);
    }

    private enum Side { Source, Destination }

    /// <summary>The SDK client for one side's bucket (its region looked up unless given); a bucket that does not exist is NoSuchBucket naming it and its side.</summary>
    private async Task<IAmazonS3> OpenAsync(S3Location location, string? region, Side side, S3SyncRequest request, CancellationToken ct)
    {
        try
        {
            return await _client.ForBucketAsync(location.Bucket, region, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "NoSuchBucket")
        {
            throw Missing(ex, location, side, request);
        }
    }

    /// <summary>S3's NoSuchBucket, saying which bucket of the two is missing and what to do; the target is the location.</summary>
    private static OpsException Missing(OpsException ex, S3Location location, Side side, S3SyncRequest request)
    {
        var message = side == Side.Source
            ? $"The source bucket '{location.Bucket}' (-Source {location}) does not exist{(request.SourceRegion is { } r ? $" in {r}" : "")}. Nothing was copied."
            : $"The destination bucket '{location.Bucket}' (-Destination {location}) does not exist. Nothing was copied.";
        return new OpsException(ex.ErrorId, ex.Category, $"{message} S3 said: {ex.Message}", location, ex)
        {
            RecommendedAction = side == Side.Source
                ? "Check the source bucket's name (and -SourceRegion)."
                : $"Add -CreateDestination to create '{location.Bucket}' like the source (versioning, default encryption, public access block and lifecycle rules), or create it first.",
        };
    }

    /// <summary>CreateDestination refuses an existing bucket that holds any object, version or delete marker: it is not a new bucket.</summary>
    private static async Task CheckEmptyAsync(IAmazonS3 destination, S3SyncRequest request, CancellationToken ct)
    {
        var bucket = request.Destination.Bucket;
        var page = await S3Client.Call(() => destination.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, MaxKeys = 1 }, ct), $"s3://{bucket}", ct).ConfigureAwait(false);
        if ((page.Versions?.Count ?? 0) == 0) return;
        throw new OpsException("S3DestinationBucketNotEmpty", OpsErrorCategory.ResourceExists,
            $"-CreateDestination: the bucket '{bucket}' already exists and holds objects (or earlier versions), so it is not made like the source and nothing was copied. " +
            "Its versioning, encryption, public access block and lifecycle rules are left as they are.", $"s3://{bucket}")
        {
            RecommendedAction = $"To sync into '{bucket}' as it is, run the same command without -CreateDestination; to make a new bucket like the source, choose a name that does not exist.",
        };
    }

    /// <summary>The source's versioning, default encryption, public access block and lifecycle rules (what is not configured is left out).</summary>
    private static async Task<S3BucketSettings> ReadSettingsAsync(IAmazonS3 s3, string bucket, CancellationToken ct)
    {
        var target = $"s3://{bucket}";
        var versioning = await S3Client.Call(() => s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, ct), target, ct).ConfigureAwait(false);
        var encryption = await OptionalAsync(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, ct), "ServerSideEncryptionConfigurationNotFoundError", target, ct).ConfigureAwait(false);
        var block = await OptionalAsync(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, ct), "NoSuchPublicAccessBlockConfiguration", target, ct).ConfigureAwait(false);
        var lifecycle = await OptionalAsync(() => s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, ct), "NoSuchLifecycleConfiguration", target, ct).ConfigureAwait(false);
        var status = versioning.VersioningConfig?.Status?.Value;
        var rules = encryption?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules ?? new List<ServerSideEncryptionRule>();
        var byDefault = rules.Select(r => r.ServerSideEncryptionByDefault).FirstOrDefault(d => d?.ServerSideEncryptionAlgorithm is not null);
        var lifecycleRules = lifecycle?.Configuration?.Rules ?? new List<LifecycleRule>();
        return new S3BucketSettings
        {
            Bucket = bucket,
            Versioning = status is "Enabled" or "Suspended" ? status : null,
            EncryptionAlgorithm = byDefault?.ServerSideEncryptionAlgorithm?.Value,
            KmsKeyId = string.IsNullOrEmpty(byDefault?.ServerSideEncryptionKeyManagementServiceKeyId) ? null : byDefault.ServerSideEncryptionKeyManagementServiceKeyId,
            Encryption = rules.Count > 0 ? encryption!.ServerSideEncryptionConfiguration : null,
            PublicAccessBlock = block?.PublicAccessBlockConfiguration,
            Lifecycle = lifecycleRules.Count > 0 ? lifecycle!.Configuration : null,
            LifecycleRules = lifecycleRules.Select(r => r.Id ?? "(unnamed)").ToArray(),
        };
    }

    private static async Task<T?> OptionalAsync<T>(Func<Task<T>> call, string notConfiguredCode, string target, CancellationToken ct) where T : class
    {
        try { return await S3Client.Call(call, target, ct).ConfigureAwait(false); }
        catch (OpsException ex) when (ex.ErrorId == notConfiguredCode) { return null; }
    }

    /// <summary>
    /// Makes the destination bucket of a plan with a setup: creates it in the plan's region (Create), then gives it the source's
    /// versioning, default encryption, public access block and lifecycle rules, each said as a Verbose note. A KMS key of another
    /// region than the destination's is copied as it is, with a warning: S3 can use a KMS key only in its own region.
    /// </summary>
    public async Task<S3BucketSettings> PrepareDestinationAsync(S3SyncPlan plan, IProgress<OpsEvent>? events = null, CancellationToken ct = default)
    {
        if (plan.DestinationSetup == S3DestinationSetup.None || plan.SourceSettings is not { } settings || plan.DestinationRegion is not { } region)
            throw new InvalidOperationException("The plan has no destination bucket to make.");
        var bucket = plan.Request.Destination.Bucket;
        var target = $"s3://{bucket}";
        var s3 = _client.ForRegion(region);
        if (plan.DestinationSetup == S3DestinationSetup.Create)
        {
            await S3Client.Call(() => s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = region == "us-east-1" ? null : region }, ct), target, ct).ConfigureAwait(false);
            events.Verbose($"Created bucket '{bucket}' in {region}.");
        }
        if (settings.Versioning is { } versioning)
        {
            await S3Client.Call(() => s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
            { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = new VersionStatus(versioning) } }, ct), target, ct).ConfigureAwait(false);
            events.Verbose($"'{bucket}': versioning {versioning}, like '{settings.Bucket}'.");
        }
        if (settings.Encryption is { } encryption)
        {
            await S3Client.Call(() => s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = bucket, ServerSideEncryptionConfiguration = encryption }, ct), target, ct).ConfigureAwait(false);
            events.Verbose($"'{bucket}': default encryption {settings.EncryptionAlgorithm}, like '{settings.Bucket}'.");
            if (settings.KmsKeyId is { } key && key.StartsWith("arn:aws:kms:", StringComparison.Ordinal) && key.Split(':') is { Length: > 3 } arn && arn[3] != region)
                events.Warning($"'{bucket}' is in {region}, but its default encryption (copied from '{settings.Bucket}') names the KMS key {key} of {arn[3]}: " +
                               $"S3 uses KMS keys only in the bucket's own region, so writes to '{bucket}' fail until its default encryption names a key in {region} " +
                               $"(aws s3api put-bucket-encryption --bucket {bucket} ...).");
        }
        if (settings.PublicAccessBlock is { } block)
        {
            await S3Client.Call(() => s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = bucket, PublicAccessBlockConfiguration = block }, ct), target, ct).ConfigureAwait(false);
            events.Verbose($"'{bucket}': public access block like '{settings.Bucket}'.");
        }
        if (settings.Lifecycle is { } lifecycle)
        {
            await S3Client.Call(() => s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = lifecycle }, ct), target, ct).ConfigureAwait(false);
            events.Verbose($"'{bucket}': lifecycle rules {string.Join(", ", settings.LifecycleRules)}, like '{settings.Bucket}'.");
        }
        plan.DestinationReady = true;
        return settings;
    }

    /// <summary>
    /// Carries out a plan: copies (compared by checksum first when asked), then deletions when the request says Delete.
    /// A failed object is an OpsItemFailed event and the sync goes on; progress is an OpsProgress event every 50 objects.
    /// <paramref name="log"/> records the keys changed, for a stop's account.
    /// </summary>
    public async Task<S3SyncResult> ExecuteAsync(S3SyncPlan plan, IProgress<OpsEvent>? events = null, S3ChangeLog? log = null, CancellationToken ct = default)
    {
        var request = plan.Request;
        if (plan.DestinationSetup != S3DestinationSetup.None && !plan.DestinationReady)
            throw new InvalidOperationException("The plan's destination bucket must be made (PrepareDestinationAsync) before the copies.");
        var watch = Stopwatch.StartNew();
        var source = await _client.ForBucketAsync(request.Source.Bucket, request.SourceRegion, ct).ConfigureAwait(false);
        var destination = await _client.ForBucketAsync(request.Destination.Bucket, plan.DestinationRegion ?? request.DestinationRegion, ct).ConfigureAwait(false);
        var result = new S3SyncResult
        {
            Source = request.Source.ToString(), Destination = request.Destination.ToString(), Compare = request.Compare, DestinationSetup = plan.DestinationSetup,
        };
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

    /// <summary>One side's objects; a bucket that does not exist is NoSuchBucket naming it and its side (the target is the location).</summary>
    private static async IAsyncEnumerable<Entry> ListAsync(IAmazonS3 s3, S3Location location, Side side, S3SyncRequest sync, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix.Length == 0 ? null : location.Prefix, MaxKeys = 1000 };
        var paging = new S3Paging("ListObjectsV2", location.ToString(), (string?)null);
        while (true)
        {
            ListObjectsV2Response page;
            try
            {
                page = await S3Client.Call(() => s3.ListObjectsV2Async(request, ct), location.ToString(), ct).ConfigureAwait(false);
            }
            catch (OpsException ex) when (ex.ErrorId == "NoSuchBucket")
            {
                throw Missing(ex, location, side, sync);
            }
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
