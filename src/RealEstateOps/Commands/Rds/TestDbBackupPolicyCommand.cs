using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// The Backup and Recovery runbook's policy as a check, for a scheduled job: the instance's backup retention, backup window,
/// transaction-log backups (its latest restorable time), copy-tags-to-snapshot, deletion protection and encryption, then the age of
/// its newest automated and manual snapshot and of the newest export in the backups bucket; one verdict per point. The policy is
/// the runbook's unless the context changes it (Set-OpsContext -Backup*). -Quiet answers only $true or $false.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DbBackupPolicy")]
[OutputType(typeof(DbBackupPolicyReport))]
[OutputType(typeof(bool))]
public sealed class TestDbBackupPolicyCommand : RdsCommandBase
{
    private readonly OwnedClient<S3Client> _s3 = new();

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string[]? DbInstanceId { get; set; }

    /// <summary>The bucket whose newest export is aged (default: the context's BackupsBucket).</summary>
    [Parameter] public string? BackupsBucket { get; set; }

    /// <summary>Only exports under this prefix of the bucket count.</summary>
    [Parameter] public string? ExportPrefix { get; set; }

    /// <summary>Overrides the policy's window for this run (default: the context's BackupWindow, 02:00-03:00).</summary>
    [Parameter] public string? BackupWindow { get; set; }

    /// <summary>Overrides the policy's retention for this run (default: the context's BackupRetentionDays, 14).</summary>
    [Parameter] [ValidateRange(1, 35)] public int? RetentionDays { get; set; }

    /// <summary>Answer $true when every instance passes, else $false; nothing else.</summary>
    [Parameter] public SwitchParameter Quiet { get; set; }

    private DbBackupPolicy? _policy;
    private bool _allPassed = true;

    protected override void ProcessRecordCore()
    {
        _policy ??= Policy();
        var bucket = Setting(BackupsBucket, nameof(BackupsBucket), c => c.BackupsBucket)?.Value;
        var exports = bucket is null ? null : new S3ArtifactCatalog(OpenS3(_s3));
        var checker = new DbBackupPolicyChecker(Api, exports);
        var ids = DbInstanceId is { Length: > 0 } given ? given : new[] { InstanceId(null) };
        foreach (var id in ids)
        {
            try
            {
                RdsIdentifiers.ValidateInstanceId(id, nameof(DbInstanceId));
                var report = Run(ct => checker.CheckAsync(new DbBackupPolicyRequest { DbInstanceId = id, Policy = _policy, BackupsBucket = bucket, ExportPrefix = ExportPrefix }, Listener, ct));
                _allPassed &= report.Passed;
                if (!Quiet) WriteObject(report);
            }
            catch (Engine.Common.OpsException ex) when (!ex.IsFatal)
            {
                _allPassed = false;
                WriteOpsError(ex);
            }
        }
    }

    protected override void EndProcessingCore()
    {
        if (Quiet) WriteObject(_allPassed);
    }

    /// <summary>The policy: each point from this run's parameter, else the context, else the runbook's value (sources to verbose).</summary>
    private DbBackupPolicy Policy()
    {
        var defaults = new DbBackupPolicy();
        var window = Setting(BackupWindow, nameof(BackupWindow), c => c.BackupWindow)?.Value ?? defaults.BackupWindow;
        DbBackupPolicy.ParseWindow(window);
        bool Flag(string name, Func<Engine.Context.OpsContext, bool?> selector, bool fallback)
        {
            var value = ActiveContext.Resolve(null, name, selector);
            WriteVerbose(value is { } v ? $"{name}: {v.Value} (from {v.Source})." : $"{name}: {fallback} (the runbook's).");
            return value?.Value ?? fallback;
        }
        return new DbBackupPolicy
        {
            BackupWindow = window,
            RetentionDays = Setting(RetentionDays, nameof(RetentionDays), c => c.BackupRetentionDays)?.Value ?? defaults.RetentionDays,
            RequireCopyTagsToSnapshot = Flag("BackupRequireCopyTags", c => c.BackupRequireCopyTags, true),
            RequireDeletionProtection = Flag("BackupRequireDeletionProtection", c => c.BackupRequireDeletionProtection, true),
            RequireEncryption = Flag("BackupRequireEncryption", c => c.BackupRequireEncryption, true),
            MaxAutomatedSnapshotAge = TimeSpan.FromHours(Setting(null, "BackupMaxSnapshotAgeHours", c => c.BackupMaxSnapshotAgeHours)?.Value ?? 26),
            MaxManualSnapshotAge = Setting(null, "BackupMaxManualSnapshotAgeDays", c => c.BackupMaxManualSnapshotAgeDays)?.Value is { } manual ? TimeSpan.FromDays(manual) : null,
            MaxExportAge = Setting(null, "BackupMaxExportAgeDays", c => c.BackupMaxExportAgeDays)?.Value is { } export ? TimeSpan.FromDays(export) : null,
        };
    }

    protected override void ReleaseResources()
    {
        base.ReleaseResources();
        _s3.Release();
    }
}
