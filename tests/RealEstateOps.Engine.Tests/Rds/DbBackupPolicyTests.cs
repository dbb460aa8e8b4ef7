using Amazon.S3.Model;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.S3;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Rds;

namespace RealEstateOps.Engine.Tests.Rds;

/// <summary>Test-DbBackupPolicy's engine: window arithmetic, and the checks against the RDS and S3 sandbox with the runbook's policy and stricter ones.</summary>
public class DbBackupPolicyTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;
    private readonly RdsClient _rds;
    private readonly S3Client _s3;

    public DbBackupPolicyTests(SandboxFixture sandbox)
    {
        _sandbox = sandbox;
        var retry = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 3 };
        _rds = RdsClient.Create(sandbox.Target("rds"), retry);
        _s3 = new S3Client(S3Sandbox.Target(sandbox.Host), retry);
    }

    public void Dispose()
    {
        _rds.Dispose();
        _s3.Dispose();
    }

    [Theory]
    [InlineData("02:00-03:00", "02:00-03:00", true)]
    [InlineData("02:15-02:45", "02:00-03:00", true)]
    [InlineData("01:30-02:30", "02:00-03:00", false)]
    [InlineData("23:30-00:15", "23:00-01:00", true)]
    [InlineData("00:30-01:30", "23:00-01:00", false)]
    [InlineData("04:00-04:30", "02:00-03:00", false)]
    public void A_backup_window_must_lie_inside_the_policys(string window, string policy, bool inside) =>
        Assert.Equal(inside, DbBackupPolicy.Within(window, policy));

    [Theory]
    [InlineData("2:00-3:00")]
    [InlineData("02:00")]
    [InlineData("25:00-26:00")]
    [InlineData("02:00-02:00")]
    public void A_malformed_window_is_refused_with_its_id(string window) =>
        Assert.Equal("DbBackupWindowInvalid", Assert.Throws<OpsException>(() => DbBackupPolicy.ParseWindow(window)).ErrorId);

    private DbBackupPolicyChecker Checker(IArtifactCatalog? exports = null) => new(_rds, exports);

    [Fact]
    public async Task The_seeded_instance_meets_the_runbooks_policy_point_by_point()
    {
        var report = await Checker().CheckAsync(new DbBackupPolicyRequest { DbInstanceId = RdsService.SeedInstanceId }, null, default);
        Assert.Equal(Enum.GetValues<DbBackupPolicyPoint>(), report.Checks.Select(c => c.Point));
        foreach (var point in new[] { DbBackupPolicyPoint.Retention, DbBackupPolicyPoint.BackupWindow, DbBackupPolicyPoint.TransactionLogs,
                     DbBackupPolicyPoint.CopyTagsToSnapshot, DbBackupPolicyPoint.DeletionProtection, DbBackupPolicyPoint.Encryption, DbBackupPolicyPoint.NewestAutomatedSnapshot })
            Assert.True(report[point]!.Verdict == DbBackupPolicyVerdict.Pass, $"{point}: {report[point]!.Verdict} {report[point]!.Detail}");
        Assert.Equal("14 days", report[DbBackupPolicyPoint.Retention]!.Actual);
        Assert.Equal(DbBackupPolicyVerdict.Info, report[DbBackupPolicyPoint.NewestExport]!.Verdict);
        Assert.Contains("not checked", report[DbBackupPolicyPoint.NewestExport]!.Actual);
        Assert.True(report.Passed);
    }

    [Fact]
    public async Task A_stricter_policy_fails_the_points_it_tightens_and_passes_the_rest()
    {
        var policy = new DbBackupPolicy { RetentionDays = 30, BackupWindow = "04:00-05:00", MaxAutomatedSnapshotAge = TimeSpan.FromTicks(1), MaxManualSnapshotAge = TimeSpan.FromDays(1) };
        var report = await Checker().CheckAsync(new DbBackupPolicyRequest { DbInstanceId = RdsService.SeedInstanceId, Policy = policy }, null, default);
        Assert.Equal(DbBackupPolicyVerdict.Fail, report.Verdict);
        Assert.Equal(DbBackupPolicyVerdict.Fail, report[DbBackupPolicyPoint.Retention]!.Verdict);
        Assert.Contains("--backup-retention-period 30", report[DbBackupPolicyPoint.Retention]!.Detail);
        Assert.Equal(DbBackupPolicyVerdict.Fail, report[DbBackupPolicyPoint.BackupWindow]!.Verdict);
        Assert.Equal(DbBackupPolicyVerdict.Pass, report[DbBackupPolicyPoint.Encryption]!.Verdict);
        // The seeded instance has automated snapshots, each at least a little old by this machine's clock or ahead of it.
        Assert.Contains(report[DbBackupPolicyPoint.NewestAutomatedSnapshot]!.Verdict, new[] { DbBackupPolicyVerdict.Fail, DbBackupPolicyVerdict.Pass });
        Assert.Contains("Retention", report.FailedChecks);
    }

    [Fact]
    public async Task A_waived_point_is_info_and_a_missing_instance_is_its_rds_error()
    {
        var policy = new DbBackupPolicy { RequireEncryption = false, RequireDeletionProtection = false };
        var report = await Checker().CheckAsync(new DbBackupPolicyRequest { DbInstanceId = RdsService.SeedInstanceId, Policy = policy }, null, default);
        Assert.Equal(DbBackupPolicyVerdict.Info, report[DbBackupPolicyPoint.Encryption]!.Verdict);
        Assert.Equal("not required", report[DbBackupPolicyPoint.DeletionProtection]!.Expected);
        var missing = await Assert.ThrowsAsync<OpsException>(() => Checker().CheckAsync(new DbBackupPolicyRequest { DbInstanceId = "no-such-instance" }, null, default));
        Assert.Equal("DBInstanceNotFound", missing.ErrorId);
    }

    [Fact]
    public async Task The_newest_export_is_the_newest_dump_or_completed_parallel_export_and_a_missing_bucket_is_unknown_not_fatal()
    {
        using var raw = S3Sandbox.Client(_sandbox.Host);
        var bucket = S3Sandbox.NewBucket("policy");
        await raw.PutBucketAsync(bucket);
        var catalog = new S3ArtifactCatalog(_s3);
        Assert.Null(await new ExportCatalog(catalog).NewestAsync(bucket, null, default));

        await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "db/old.dump", ContentBody = "x" });
        await Task.Delay(1100); // S3 times have whole seconds
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "db/parallel-1/0001.dat.gz", ContentBody = "x" });
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "db/notes.txt", ContentBody = "x" });
        var newest = await new ExportCatalog(catalog).NewestAsync(bucket, "db/", default);
        Assert.Equal($"s3://{bucket}/db/old.dump", newest!.Location); // the parallel export has no manifest yet: incomplete, not an export

        await Task.Delay(1100);
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "db/parallel-1/manifest.json", ContentBody = "{}" });
        newest = await new ExportCatalog(catalog).NewestAsync(bucket, "db/", default);
        Assert.Equal(($"s3://{bucket}/db/parallel-1", "directory"), (newest!.Location, newest.Format));

        var policy = new DbBackupPolicy { MaxExportAge = TimeSpan.FromDays(1) };
        var report = await Checker(catalog).CheckAsync(new DbBackupPolicyRequest { DbInstanceId = RdsService.SeedInstanceId, Policy = policy, BackupsBucket = bucket, ExportPrefix = "db/" }, null, default);
        Assert.Equal(DbBackupPolicyVerdict.Pass, report[DbBackupPolicyPoint.NewestExport]!.Verdict);
        Assert.Contains("parallel-1", report[DbBackupPolicyPoint.NewestExport]!.Detail);

        report = await Checker(catalog).CheckAsync(new DbBackupPolicyRequest { DbInstanceId = RdsService.SeedInstanceId, BackupsBucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8] }, null, default);
        var export = report[DbBackupPolicyPoint.NewestExport]!;
        Assert.Equal((DbBackupPolicyVerdict.Unknown, "NoSuchBucket"), (export.Verdict, export.ErrorId));
        Assert.Equal(DbBackupPolicyVerdict.Pass, report[DbBackupPolicyPoint.Retention]!.Verdict);
        Assert.Equal(DbBackupPolicyVerdict.Warning, report.Verdict);
    }
}
