using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// Restores S3 keys: undelete (remove the delete markers on top, copying nothing; batched with
/// DeleteObjects), make a version current (server-side copy onto the key, keeping history), or return
/// every key under a prefix to its newest version at a point in time. Bounded parallelism.
/// </summary>
public sealed class S3Restorer
{
    private readonly S3Client _client;
    private readonly S3Copier _copier;

    public S3Restorer(S3Client client)
    {
        _client = client;
        _copier = new S3Copier(client);
    }

    /// <summary>The steps for one key, decided from its versions.</summary>
    internal sealed record Plan(string Key, S3RestoreStatus? Outcome = null, string? Reason = null, IReadOnlyList<string>? Markers = null,
        S3Version? Copy = null, bool DeleteCurrent = false, string? ResultVersionId = null);

    /// <summary>
    /// Decides what to do with one key. Which version is current and which came before it is decided by each entry's IsLatest
    /// and LastModified (<see cref="S3VersionLister.InS3Order"/>), never by the order the server listed them in: S3 interleaves
    /// versions and delete markers newest first, S3-compatible servers may list every version before every delete marker.
    /// </summary>
    internal static Plan PlanKey(string key, IReadOnlyList<S3Version> listed, S3RestoreMode mode, string? versionId = null, DateTimeOffset? asOf = null, bool removeNewer = false)
    {
        var versions = S3VersionLister.InS3Order(listed).ToList();
        if (versions.Count == 0) return new Plan(key, S3RestoreStatus.NotFound, "The key has no versions.");
        var current = versions[0];
        switch (mode)
        {
            case S3RestoreMode.Undelete:
            {
                if (!current.IsDeleteMarker) return new Plan(key, S3RestoreStatus.AlreadyCurrent, "The key is not deleted.", ResultVersionId: current.VersionId);
                var markers = versions.TakeWhile(v => v.IsDeleteMarker).ToList();
                if (markers.Count == versions.Count) return new Plan(key, S3RestoreStatus.NotFound, "The key has only delete markers, no version to restore.");
                return new Plan(key, Markers: markers.Select(m => m.VersionId).ToList(), ResultVersionId: versions[markers.Count].VersionId);
            }
            case S3RestoreMode.Version:
            {
                var index = versions.FindIndex(v => v.VersionId == versionId);
                if (index < 0) return new Plan(key, S3RestoreStatus.NotFound, $"The key has no version '{versionId}'.");
                var chosen = versions[index];
                if (chosen.IsDeleteMarker) return new Plan(key, S3RestoreStatus.NotFound, $"Version '{versionId}' is a delete marker, not a version to restore.");
                if (index == 0) return new Plan(key, S3RestoreStatus.AlreadyCurrent, "That version is already current.", ResultVersionId: chosen.VersionId);
                return new Plan(key, Copy: chosen);
            }
            default:
            {
                var at = asOf!.Value;
                var index = versions.FindIndex(v => v.LastModified <= at);
                if (index < 0 || versions[index].IsDeleteMarker)
                {
                    if (current.IsDeleteMarker) return new Plan(key, S3RestoreStatus.AlreadyCurrent, $"The key did not exist at {at:u} and is deleted now.");
                    if (!removeNewer) return new Plan(key, S3RestoreStatus.NotFound, $"The key did not exist at {at:u}; -RemoveNewer deletes it.");
                    return new Plan(key, DeleteCurrent: true);
                }
                if (index == 0) return new Plan(key, S3RestoreStatus.AlreadyCurrent, $"The current version was already current at {at:u}.", ResultVersionId: current.VersionId);
                var newer = versions.Take(index).ToList();
                if (newer.All(v => v.IsDeleteMarker))
                    return new Plan(key, Markers: newer.Select(v => v.VersionId).ToList(), ResultVersionId: versions[index].VersionId);
                return new Plan(key, Copy: versions[index]);
            }
        }
    }

    /// <summary>
    /// Restores and streams one result per key as each is done (keys are restored in parallel, up to the
    /// request's ThrottleLimit, while the listing goes on). Progress and per-key failures (OpsItemFailed) are
    /// reported to <paramref name="events"/> in order with the results, from the consumer's own MoveNextAsync.
    /// <paramref name="log"/> records the keys changed, for a stop's account. A consumer that stops early stops the restore.
    /// </summary>
    public async IAsyncEnumerable<S3RestoreResult> RestoreAsync(S3RestoreRequest request, IProgress<OpsEvent>? events = null, S3ChangeLog? log = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var outbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var work = RunAsync(request, outbox.Writer, log, stop.Token);
        _ = work.ContinueWith(_ => outbox.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            while (await outbox.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (outbox.Reader.TryRead(out var item))
                {
                    if (item is OpsEvent e) events?.Report(e);
                    else yield return (S3RestoreResult)item;
                }
            }
            await work.ConfigureAwait(false);
        }
        finally
        {
            // Stopped early (the consumer, Ctrl+C, a failure): the workers stop, and are waited for so that the log is complete.
            if (!work.IsCompleted)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try { await work.ConfigureAwait(false); }
                catch (Exception) when (stop.IsCancellationRequested) { /* cancelled with the consumer */ }
            }
        }
    }

    private async Task RunAsync(S3RestoreRequest request, ChannelWriter<object> outbox, S3ChangeLog? log, CancellationToken ct)
    {
        await Task.Yield(); // the pre-flight runs off the consumer's thread, like the rest of the work
        S3Names.CheckBucket(request.Bucket);
        if (request.Key is not null) S3Names.CheckKey(request.Key);
        if (request.ThrottleLimit < 1) throw new OpsException("S3ThrottleLimitInvalid", OpsErrorCategory.InvalidArgument, "-ThrottleLimit must be at least 1.", request.ThrottleLimit);
        var bucket = request.Bucket;
        var s3 = await _client.ForBucketAsync(bucket, null, ct).ConfigureAwait(false);
        var versioning = await S3Client.Call(() => s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, ct), bucket, ct).ConfigureAwait(false);
        if (versioning.VersioningConfig?.Status is null || versioning.VersioningConfig.Status == VersionStatus.Off)
            throw new OpsException("S3BucketNotVersioned", OpsErrorCategory.InvalidOperation,
                $"Bucket '{bucket}' has never had versioning enabled, so it keeps no earlier versions or delete markers to restore from.", bucket);
        // Suspended: every write (a copy, a delete marker) gets the version id "null" and replaces the key's
        // existing "null" version, which is often the only copy of what was written while suspended.
        if (versioning.VersioningConfig.Status == VersionStatus.Suspended)
            throw new OpsException("S3VersioningSuspended", OpsErrorCategory.InvalidOperation,
                $"Bucket '{bucket}' has versioning Suspended: a restore would write a copy or a delete marker with the version id 'null', replacing the key's 'null' version, " +
                "which S3 keeps only once (it may be the only copy of the object). Nothing was changed.", bucket)
            {
                RecommendedAction = $"Enable versioning again (aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled): the 'null' version is then kept as history, and the restore is safe.",
            };

        // A single key with an explicit version: bad input is an error and nothing is changed.
        if (request.Key is not null && request.VersionId is not null)
        {
            var versions = await ListKeyAsync(s3, bucket, request.Key, ct).ConfigureAwait(false);
            var named = versions.FirstOrDefault(v => v.VersionId == request.VersionId);
            if (named is null)
                throw new OpsException("S3VersionNotFound", OpsErrorCategory.ObjectNotFound, $"s3://{bucket}/{request.Key} has no version '{request.VersionId}'.", request.VersionId);
            if (named.IsDeleteMarker)
                throw new OpsException("S3VersionIsDeleteMarker", OpsErrorCategory.InvalidArgument, $"Version '{request.VersionId}' of s3://{bucket}/{request.Key} is a delete marker; give the version to restore.", request.VersionId);
        }

        var activity = $"Restore-S3Object {request.Target}";
        var found = 0;
        var done = 0;
        // Results and events go out through one queue, so that the consumer reports each in order with the others.
        void Report(S3RestoreResult r)
        {
            outbox.TryWrite(r);
            var n = Interlocked.Increment(ref done);
            var f = Volatile.Read(ref found);
            outbox.TryWrite(new OpsProgress(1, activity, $"{n} keys done, {f} found so far (still listing)"));
        }
        void Failed(OpsException ex) => outbox.TryWrite(new OpsItemFailed(ex));

        await using var workers = new S3Workers(request.ThrottleLimit, ct);
        var batch = new List<Plan>();
        var batchCount = 0;
        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var plans = batch;
            batch = new List<Plan>();
            batchCount = 0;
            await workers.QueueAsync(t => RemoveMarkersAsync(s3, bucket, plans, Report, Failed, log, t)).ConfigureAwait(false);
        }

        await foreach (var (key, versions, mode, versionId) in GroupsAsync(s3, request, workers.Token).ConfigureAwait(false))
        {
            var plan = PlanKey(key, versions, mode, versionId, request.AsOf, request.RemoveNewer);
            if (plan.Outcome is { } outcome)
            {
                // Under a prefix, undelete concerns deleted keys only: the others are not reported one by one.
                if (request.Prefix is not null && mode == S3RestoreMode.Undelete && outcome == S3RestoreStatus.AlreadyCurrent) continue;
                Interlocked.Increment(ref found);
                Report(new S3RestoreResult { Bucket = bucket, Key = key, Status = outcome, Reason = plan.Reason, VersionId = plan.ResultVersionId });
                continue;
            }
            Interlocked.Increment(ref found);
            if (plan.Markers is { } markers)
            {
                if (batchCount + markers.Count > 1000) await FlushAsync().ConfigureAwait(false);
                batch.Add(plan);
                batchCount += markers.Count;
                if (batchCount >= 1000) await FlushAsync().ConfigureAwait(false);
            }
            else
            {
                var p = plan;
                await workers.QueueAsync(t => ChangeOneAsync(bucket, p, Report, Failed, log, t)).ConfigureAwait(false);
            }
        }
        await FlushAsync().ConfigureAwait(false);
        await workers.CompleteAsync().ConfigureAwait(false);
        outbox.TryWrite(new OpsProgress(1, activity, $"{done} of {found} keys done", found > 0 ? done * 100 / found : null, Completed: true));
    }

    private static async Task<List<S3Version>> ListKeyAsync(IAmazonS3 s3, string bucket, string key, CancellationToken ct)
    {
        var list = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAllAsync(s3, bucket, key, key, ct).ConfigureAwait(false)) list.Add(v);
        return list;
    }

    /// <summary>The keys to restore with their versions: one key, every key under the prefix, or the piped items' keys.</summary>
    private static async IAsyncEnumerable<(string Key, IReadOnlyList<S3Version> Versions, S3RestoreMode Mode, string? VersionId)> GroupsAsync(
        IAmazonS3 s3, S3RestoreRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var mode = request.Mode;
        if (request.Items is { } items)
        {
            foreach (var item in items.GroupBy(i => i.Key, StringComparer.Ordinal))
            {
                var versions = await ListKeyAsync(s3, request.Bucket, item.Key, ct).ConfigureAwait(false);
                // The newest piped entry of a key decides: a delete marker means undelete, a version means make it current.
                var chosen = S3VersionLister.InS3Order(item).First();
                if (request.AsOf is not null) yield return (item.Key, versions, S3RestoreMode.AsOf, null);
                else if (chosen.IsDeleteMarker) yield return (item.Key, versions, S3RestoreMode.Undelete, null);
                else yield return (item.Key, versions, S3RestoreMode.Version, chosen.VersionId);
            }
            yield break;
        }
        if (request.Key is not null)
        {
            yield return (request.Key, await ListKeyAsync(s3, request.Bucket, request.Key, ct).ConfigureAwait(false), mode, request.VersionId);
            yield break;
        }
        await foreach (var group in S3VersionLister.ByKeyAsync(S3VersionLister.ListAllAsync(s3, request.Bucket, request.Prefix, null, ct), ct).ConfigureAwait(false))
            yield return (group[0].Key, group, mode, null);
    }

    /// <summary>Removes the delete markers of many keys with DeleteObjects (up to 1,000 versions a request).</summary>
    private static async Task RemoveMarkersAsync(IAmazonS3 s3, string bucket, List<Plan> plans, Action<S3RestoreResult> report, Action<OpsException> onError,
        S3ChangeLog? log, CancellationToken ct)
    {
        var request = new DeleteObjectsRequest { BucketName = bucket, Quiet = false, Objects = new List<KeyVersion>() };
        foreach (var plan in plans)
            foreach (var marker in plan.Markers!) request.Objects.Add(new KeyVersion { Key = plan.Key, VersionId = marker });
        log?.Begin(plans.Select(p => p.Key));
        DeleteObjectsResponse response;
        try
        {
            response = await S3Client.Call(() => s3.DeleteObjectsAsync(request, ct), $"s3://{bucket}", ct).ConfigureAwait(false);
        }
        catch (DeleteObjectsException ex)
        {
            response = ex.Response;
        }
        catch (OpsException ex)
        {
            foreach (var plan in plans) log?.End(plan.Key, null);
            onError(ex);
            foreach (var plan in plans) report(Failed(bucket, plan.Key, ex));
            return;
        }
        var errors = (response.DeleteErrors ?? new List<DeleteError>()).GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            log?.End(plan.Key, errors.ContainsKey(plan.Key) ? null : "undeleted");
            if (errors.TryGetValue(plan.Key, out var error))
            {
                var ex = Aws.AwsErrors.From(error.Code, error.Message, System.Net.HttpStatusCode.OK, null, $"s3://{bucket}/{plan.Key}");
                onError(ex);
                report(Failed(bucket, plan.Key, ex));
                continue;
            }
            report(new S3RestoreResult
            {
                Bucket = bucket, Key = plan.Key, Status = S3RestoreStatus.Restored, Action = S3RestoreAction.RemovedDeleteMarker, VersionId = plan.ResultVersionId,
                SourceVersionId = plan.ResultVersionId, DeleteMarkersRemoved = plan.Markers!.Count,
            });
        }
    }

    private async Task ChangeOneAsync(string bucket, Plan plan, Action<S3RestoreResult> report, Action<OpsException> onError,
        S3ChangeLog? log, CancellationToken ct)
    {
        log?.Begin(plan.Key);
        try
        {
            if (plan.Copy is { } source)
            {
                var newVersion = await _copier.CopyAsync(new S3CopyRequest
                {
                    SourceBucket = bucket, SourceKey = plan.Key, SourceVersionId = source.VersionId, Size = source.Size, DestinationBucket = bucket, DestinationKey = plan.Key,
                }, ct).ConfigureAwait(false);
                log?.End(plan.Key, "made an earlier version current");
                report(new S3RestoreResult { Bucket = bucket, Key = plan.Key, Status = S3RestoreStatus.Restored, Action = S3RestoreAction.CopiedVersion, VersionId = newVersion, SourceVersionId = source.VersionId });
            }
            else
            {
                var s3 = await _client.ForBucketAsync(bucket, null, ct).ConfigureAwait(false);
                var response = await S3Client.Call(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = plan.Key }, ct), $"s3://{bucket}/{plan.Key}", ct).ConfigureAwait(false);
                log?.End(plan.Key, "deleted (newer than the time)");
                report(new S3RestoreResult { Bucket = bucket, Key = plan.Key, Status = S3RestoreStatus.Restored, Action = S3RestoreAction.DeletedNewer, VersionId = response.VersionId, Reason = "The key did not exist at that time." });
            }
        }
        catch (OpsException ex)
        {
            log?.End(plan.Key, null);
            onError(ex);
            report(Failed(bucket, plan.Key, ex));
        }
    }

    private static S3RestoreResult Failed(string bucket, string key, OpsException ex) =>
        new() { Bucket = bucket, Key = key, Status = S3RestoreStatus.Failed, Reason = ex.Message, ErrorId = ex.ErrorId };
}
