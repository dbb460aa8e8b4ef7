using System.Globalization;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Rds;

/// <summary>What Test-DbBackupPolicy asks for: the instance, the policy, and where its exports go.</summary>
public sealed class DbBackupPolicyRequest
{
    public required string DbInstanceId { get; init; }
    public DbBackupPolicy Policy { get; init; } = new();
    /// <summary>The backups bucket whose newest export is aged; null: that point is Info "not checked".</summary>
    public string? BackupsBucket { get; init; }
    public string? ExportPrefix { get; init; }
}

/// <summary>
/// Test-DbBackupPolicy: the instance's backup settings (DescribeDBInstances) against the policy, one verdict per point; the age
/// of the newest automated and manual snapshot (DescribeDBSnapshots) and of the newest export in the backups bucket (a listing).
/// A point whose source fails is Unknown with the error id; the others are still checked. Only the instance's absence ends it.
/// </summary>
public sealed class DbBackupPolicyChecker
{
    private readonly RdsOperations _rds;
    private readonly IArtifactCatalog? _exports;
    private readonly TimeProvider _time;

    public DbBackupPolicyChecker(IRdsClient rds, IArtifactCatalog? exports, TimeProvider? time = null)
    {
        _rds = new RdsOperations(rds);
        _exports = exports;
        _time = time ?? TimeProvider.System;
    }

    public async Task<DbBackupPolicyReport> CheckAsync(DbBackupPolicyRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var policy = request.Policy;
        DbBackupPolicy.ParseWindow(policy.BackupWindow);
        var instance = await _rds.FindInstanceAsync(request.DbInstanceId, ct).ConfigureAwait(false)
                       ?? throw new OpsException("DBInstanceNotFound", OpsErrorCategory.ObjectNotFound, $"DB instance {request.DbInstanceId} was not found.", request.DbInstanceId);
        instance = await _rds.WithRestoreWindowAsync(instance, events, ct).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var id = instance.DbInstanceId;
        var checks = new List<DbBackupPolicyCheck>();
        DbBackupPolicyCheck Check(DbBackupPolicyPoint point, DbBackupPolicyVerdict verdict, string expected, string actual, string detail, TimeSpan? age = null, string? errorId = null) =>
            new() { DbInstanceId = id, Point = point, Verdict = verdict, Expected = expected, Actual = actual, Detail = detail, Age = age, ErrorId = errorId };

        var retention = instance.BackupRetentionPeriod;
        checks.Add(Check(DbBackupPolicyPoint.Retention,
            retention >= policy.RetentionDays ? DbBackupPolicyVerdict.Pass : DbBackupPolicyVerdict.Fail,
            $">= {policy.RetentionDays} days", $"{retention} days",
            retention == 0 ? "Automated backups are off: no automated snapshots and no point-in-time recovery."
            : retention >= policy.RetentionDays ? $"Automated backups are kept {retention} days."
            : $"Automated backups are kept {retention} days, fewer than the policy's {policy.RetentionDays}: fix with aws rds modify-db-instance --backup-retention-period {policy.RetentionDays}."));

        var window = instance.PreferredBackupWindow;
        checks.Add(window is null
            ? Check(DbBackupPolicyPoint.BackupWindow, DbBackupPolicyVerdict.Fail, policy.BackupWindow, "none", "The instance reports no backup window.")
            : WindowCheck(Check, window, policy.BackupWindow));

        checks.Add(TransactionLogs(Check, instance, retention, now, policy.MaxRestoreLag));
        checks.Add(Flag(Check, DbBackupPolicyPoint.CopyTagsToSnapshot, policy.RequireCopyTagsToSnapshot, instance.CopyTagsToSnapshot,
            "Snapshots carry the instance's tags.", "Snapshots do not carry the instance's tags (lifecycle and access rules that match tags miss them)."));
        checks.Add(Flag(Check, DbBackupPolicyPoint.DeletionProtection, policy.RequireDeletionProtection, instance.DeletionProtection,
            "The instance cannot be deleted until protection is turned off.", "The instance can be deleted by one call."));
        checks.Add(Flag(Check, DbBackupPolicyPoint.Encryption, policy.RequireEncryption, instance.StorageEncrypted,
            instance.KmsKeyId is { Length: > 0 } key ? $"Storage and snapshots are encrypted with {key}." : "Storage and snapshots are encrypted.",
            "Storage is not encrypted, nor are its snapshots and automated backups."));

        checks.Add(await SnapshotAgeAsync(Check, id, "automated", DbBackupPolicyPoint.NewestAutomatedSnapshot, policy.MaxAutomatedSnapshotAge, now, ct).ConfigureAwait(false));
        checks.Add(await SnapshotAgeAsync(Check, id, "manual", DbBackupPolicyPoint.NewestManualSnapshot, policy.MaxManualSnapshotAge, now, ct).ConfigureAwait(false));
        checks.Add(await ExportAgeAsync(Check, request, policy.MaxExportAge, now, ct).ConfigureAwait(false));

        foreach (var c in checks.Where(c => !c.Passed))
            events?.Report(new OpsNote(OpsNoteLevel.Verbose, $"{id}: {c.Point} {c.Verdict}: {c.Detail}"));
        return new DbBackupPolicyReport { DbInstanceId = id, CheckedAt = now, Policy = policy, Checks = checks.ToArray() };
    }

    private delegate DbBackupPolicyCheck Make(DbBackupPolicyPoint point, DbBackupPolicyVerdict verdict, string expected, string actual, string detail, TimeSpan? age = null, string? errorId = null);

    private static DbBackupPolicyCheck WindowCheck(Make check, string window, string policyWindow)
    {
        try
        {
            return DbBackupPolicy.Within(window, policyWindow)
                ? check(DbBackupPolicyPoint.BackupWindow, DbBackupPolicyVerdict.Pass, policyWindow, window, $"Automated backups start in {window} UTC.")
                : check(DbBackupPolicyPoint.BackupWindow, DbBackupPolicyVerdict.Fail, policyWindow, window,
                    $"The backup window {window} UTC is outside the policy's {policyWindow}: fix with aws rds modify-db-instance --preferred-backup-window {policyWindow}.");
        }
        catch (OpsException ex)
        {
            return check(DbBackupPolicyPoint.BackupWindow, DbBackupPolicyVerdict.Unknown, policyWindow, window, ex.Message, errorId: ex.ErrorId);
        }
    }

    private static DbBackupPolicyCheck TransactionLogs(Make check, DbInstance instance, int retention, DateTimeOffset now, TimeSpan maxLag)
    {
        const DbBackupPolicyPoint point = DbBackupPolicyPoint.TransactionLogs;
        var expected = $"restorable to within {Waiting.Waiter.Format(maxLag)}";
        if (retention == 0) return check(point, DbBackupPolicyVerdict.Fail, expected, "off", "No transaction logs are kept: point-in-time recovery is not possible.");
        if (instance.LatestRestorableTime is not { } latest)
            return check(point, DbBackupPolicyVerdict.Fail, expected, "none", "The instance reports no LatestRestorableTime: its transaction logs are not being backed up.");
        var lag = Positive(now - latest);
        var window = instance.EarliestRestorableTime is { } earliest ? $"{Utc(earliest)} .. {Utc(latest)}" : $"up to {Utc(latest)}";
        return lag <= maxLag
            ? check(point, DbBackupPolicyVerdict.Pass, expected, Waiting.Waiter.Format(lag) + " behind", $"Restorable {window} UTC.", lag)
            : check(point, DbBackupPolicyVerdict.Fail, expected, Waiting.Waiter.Format(lag) + " behind",
                $"The latest restorable time is {Waiting.Waiter.Format(lag)} old: transaction logs are not reaching the backups (restorable {window} UTC).", lag);
    }

    private static DbBackupPolicyCheck Flag(Make check, DbBackupPolicyPoint point, bool required, bool actual, string whenOn, string whenOff) =>
        check(point, !required ? DbBackupPolicyVerdict.Info : actual ? DbBackupPolicyVerdict.Pass : DbBackupPolicyVerdict.Fail,
            required ? "on" : "not required", actual ? "on" : "off", actual ? whenOn : whenOff);

    private async Task<DbBackupPolicyCheck> SnapshotAgeAsync(Make check, string instanceId, string type, DbBackupPolicyPoint point, TimeSpan? max, DateTimeOffset now, CancellationToken ct)
    {
        var expected = max is { } m ? "newer than " + Waiting.Waiter.Format(m) : "reported";
        try
        {
            var newest = await _rds.GetLatestSnapshotAsync(new SnapshotQuery { DbInstanceId = instanceId, SnapshotType = type }, ct).ConfigureAwait(false);
            if (newest?.SnapshotCreateTime is not { } at)
                return check(point, max is null ? DbBackupPolicyVerdict.Info : DbBackupPolicyVerdict.Fail, expected, "none", $"The instance has no available {type} snapshot.");
            var age = Positive(now - at);
            var verdict = max is not { } limit ? DbBackupPolicyVerdict.Info : age <= limit ? DbBackupPolicyVerdict.Pass : DbBackupPolicyVerdict.Fail;
            return check(point, verdict, expected, Waiting.Waiter.Format(age) + " old", $"{newest.SnapshotId}, taken {Utc(at)} UTC.", age);
        }
        catch (OpsException ex) when (!ex.IsFatal)
        {
            return check(point, DbBackupPolicyVerdict.Unknown, expected, "unread", $"Could not list the {type} snapshots: {ex.Message}", errorId: ex.ErrorId);
        }
    }

    private async Task<DbBackupPolicyCheck> ExportAgeAsync(Make check, DbBackupPolicyRequest request, TimeSpan? max, DateTimeOffset now, CancellationToken ct)
    {
        const DbBackupPolicyPoint point = DbBackupPolicyPoint.NewestExport;
        var expected = max is { } m ? "newer than " + Waiting.Waiter.Format(m) : "reported";
        if (_exports is null || request.BackupsBucket is not { Length: > 0 } bucket)
            return check(point, max is null ? DbBackupPolicyVerdict.Info : DbBackupPolicyVerdict.Unknown, expected, "not checked", "No backups bucket: set BackupsBucket in the context or give -BackupsBucket.");
        try
        {
            var newest = await new ExportCatalog(_exports).NewestAsync(bucket, request.ExportPrefix, ct).ConfigureAwait(false);
            if (newest is null)
                return check(point, max is null ? DbBackupPolicyVerdict.Info : DbBackupPolicyVerdict.Fail, expected, "none", $"s3://{bucket}/{request.ExportPrefix} holds no export (*.dump or a prefix with manifest.json).");
            var age = Positive(now - newest.WrittenAt);
            var verdict = max is not { } limit ? DbBackupPolicyVerdict.Info : age <= limit ? DbBackupPolicyVerdict.Pass : DbBackupPolicyVerdict.Fail;
            return check(point, verdict, expected, Waiting.Waiter.Format(age) + " old", $"{newest.Location} ({newest.Format}), written {Utc(newest.WrittenAt)} UTC.", age);
        }
        catch (OpsException ex) when (!ex.IsFatal)
        {
            return check(point, DbBackupPolicyVerdict.Unknown, expected, "unread", $"Could not list s3://{bucket}/{request.ExportPrefix}: {ex.Message}", errorId: ex.ErrorId);
        }
    }

    /// <summary>Ages are measured by this machine's clock; a time ahead of it (a clock that runs fast) is no age at all.</summary>
    private static TimeSpan Positive(TimeSpan age) => age < TimeSpan.Zero ? TimeSpan.Zero : age;

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
