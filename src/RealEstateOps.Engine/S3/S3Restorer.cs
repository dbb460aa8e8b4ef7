using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

public enum S3RestoreStatus { Restored, AlreadyCurrent, NotFound, Failed }

/// <summary>What a restore did for one key.</summary>
public sealed class S3RestoreResult
{
    public string Bucket { get; init; } = "";
    public string Key { get; init; } = "";
    public S3RestoreStatus Status { get; init; }
    /// <summary>RemovedDeleteMarker, CopiedVersion, DeletedNewer or None.</summary>
    public string Action { get; init; } = "None";
    /// <summary>The version that is current after the restore (for a copy: the new version).</summary>
    public string? VersionId { get; init; }
    /// <summary>The version restored from.</summary>
    public string? SourceVersionId { get; init; }
    public int DeleteMarkersRemoved { get; init; }
    public string? Reason { get; init; }
    public string? ErrorId { get; init; }
}

public enum S3RestoreMode { Undelete, Version, AsOf }

public sealed class S3RestoreRequest
{
    public required string Bucket { get; init; }
    /// <summary>One key (with <see cref="VersionId"/> for a version restore).</summary>
    public string? Key { get; init; }
    /// <summary>Every key under a prefix ("" for the whole bucket).</summary>
    public string? Prefix { get; init; }
    public string? VersionId { get; init; }
    public DateTimeOffset? AsOf { get; init; }
    public bool RemoveNewer { get; init; }
    /// <summary>Piped versions: a delete marker undeletes its key; a version becomes current.</summary>
    public IReadOnlyList<S3Version>? Items { get; init; }
    public int ThrottleLimit { get; init; } = 16;

    public S3RestoreMode Mode => AsOf is not null ? S3RestoreMode.AsOf : VersionId is not null ? S3RestoreMode.Version : S3RestoreMode.Undelete;
}

public sealed record S3RestoreProgress(int KeysFound, int KeysDone, bool ListingDone);

/// <summary>
/// Restores S3 keys: undelete (remove the delete markers on top, copying nothing; batched with
/// DeleteObjects), make a version current (server-side copy onto the key, keeping history), or return
/// every key under a prefix to its newest version at a point in time. Bounded parallelism.
/// </summary>
public static class S3Restorer
{
    /// <summary>The steps for one key, decided from its versions (newest first).</summary>
    public sealed record Plan(string Key, S3RestoreStatus? Outcome = null, string? Reason = null, IReadOnlyList<string>? Markers = null,
        S3Version? Copy = null, bool DeleteCurrent = false, string? ResultVersionId = null);

    public static Plan PlanKey(string key, IReadOnlyList<S3Version> versions, S3RestoreMode mode, string? versionId = null, DateTimeOffset? asOf = null, bool removeNewer = false)
    {
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
                var index = versions.ToList().FindIndex(v => v.VersionId == versionId);
                if (index < 0) return new Plan(key, S3RestoreStatus.NotFound, $"The key has no version '{versionId}'.");
                var chosen = versions[index];
                if (chosen.IsDeleteMarker) return new Plan(key, S3RestoreStatus.NotFound, $"Version '{versionId}' is a delete marker, not a version to restore.");
                if (index == 0) return new Plan(key, S3RestoreStatus.AlreadyCurrent, "That version is already current.", ResultVersionId: chosen.VersionId);
                return new Plan(key, Copy: chosen);
            }
            default:
            {
                var at = asOf!.Value;
                var index = versions.ToList().FindIndex(v => v.LastModified <= at);
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

    public static async Task RestoreAsync(S3Session session, S3RestoreRequest request, Action<S3RestoreResult> onResult, Action<OpsException> onError,
        IProgress<S3RestoreProgress>? progress, CancellationToken ct, S3ChangeLog? log = null)
    {
        S3Names.CheckBucket(request.Bucket);
        if (request.Key is not null) S3Names.CheckKey(request.Key);
        if (request.ThrottleLimit < 1) throw new OpsException("S3ThrottleLimitInvalid", OpsErrorCategory.InvalidArgument, "-ThrottleLimit must be at least 1.", request.ThrottleLimit);
        var bucket = request.Bucket;
        var s3 = await session.ForBucketAsync(bucket, null, ct).ConfigureAwait(false);
        var versioning = await S3Session.Call(() => s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, ct), bucket, ct).ConfigureAwait(false);
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

        var found = 0;
        var done = 0;
        void Report(S3RestoreResult r)
        {
            onResult(r);
            Interlocked.Increment(ref done);
            progress?.Report(new S3RestoreProgress(Volatile.Read(ref found), Volatile.Read(ref done), false));
        }

        await using var workers = new S3Workers(request.ThrottleLimit, ct);
        var batch = new List<Plan>();
        var batchCount = 0;
        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var plans = batch;
            batch = new List<Plan>();
            batchCount = 0;
            await workers.QueueAsync(t => RemoveMarkersAsync(s3, bucket, plans, Report, onError, log, t)).ConfigureAwait(false);
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
                await workers.QueueAsync(t => ChangeOneAsync(s3, bucket, p, Report, onError, log, t)).ConfigureAwait(false);
            }
        }
        await FlushAsync().ConfigureAwait(false);
        await workers.CompleteAsync().ConfigureAwait(false);
        progress?.Report(new S3RestoreProgress(found, done, true));
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
                var chosen = item.OrderByDescending(i => i.LastModified).First();
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
            response = await S3Session.Call(() => s3.DeleteObjectsAsync(request, ct), $"s3://{bucket}", ct).ConfigureAwait(false);
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
                Bucket = bucket, Key = plan.Key, Status = S3RestoreStatus.Restored, Action = "RemovedDeleteMarker", VersionId = plan.ResultVersionId,
                SourceVersionId = plan.ResultVersionId, DeleteMarkersRemoved = plan.Markers!.Count,
            });
        }
    }

    private static async Task ChangeOneAsync(IAmazonS3 s3, string bucket, Plan plan, Action<S3RestoreResult> report, Action<OpsException> onError,
        S3ChangeLog? log, CancellationToken ct)
    {
        log?.Begin(plan.Key);
        try
        {
            if (plan.Copy is { } source)
            {
                var newVersion = await S3Copier.CopyAsync(s3, new S3Copier.Source(bucket, plan.Key, source.VersionId, source.Size), bucket, plan.Key,
                    S3Copier.DefaultMultipartThreshold, S3Copier.DefaultPartSize, ct).ConfigureAwait(false);
                log?.End(plan.Key, "made an earlier version current");
                report(new S3RestoreResult { Bucket = bucket, Key = plan.Key, Status = S3RestoreStatus.Restored, Action = "CopiedVersion", VersionId = newVersion, SourceVersionId = source.VersionId });
            }
            else
            {
                var response = await S3Session.Call(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = plan.Key }, ct), $"s3://{bucket}/{plan.Key}", ct).ConfigureAwait(false);
                log?.End(plan.Key, "deleted (newer than the time)");
                report(new S3RestoreResult { Bucket = bucket, Key = plan.Key, Status = S3RestoreStatus.Restored, Action = "DeletedNewer", VersionId = response.VersionId, Reason = "The key did not exist at that time." });
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
