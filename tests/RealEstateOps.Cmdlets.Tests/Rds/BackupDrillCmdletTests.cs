using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Cmdlets.Tests.Rds;

/// <summary>Test-DbBackupPolicy and Test-DbBackup in a hosted runspace against a sandbox: -WhatIf restores nothing, errors carry their ids.</summary>
public sealed class BackupDrillCmdletTests : IDisposable
{
    private readonly OpsSandboxSession _sandbox = new(speed: 600);
    private PsSession _s => _sandbox.Shell;

    public void Dispose() => _sandbox.Dispose();

    private long Requests(string operation) => _sandbox.Requests(operation);

    [Fact]
    public void WhatIf_names_the_snapshot_and_its_scratch_instance_and_restores_nothing()
    {
        var before = Requests("RestoreDBInstanceFromDBSnapshot");
        var whatIf = _s.Run("Test-DbBackup -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.Empty(whatIf.Objects<BackupDrillResult>());
        Assert.Equal(before, Requests("RestoreDBInstanceFromDBSnapshot"));
        var journal = _s.Run("Get-OpsJournal -Within 1h").Objects<JournalEntry>().Where(e => e.Command == "Test-DbBackup").ToList();
        var entry = Assert.Single(journal);
        Assert.Equal(JournalOutcome.WhatIf, entry.Outcome);
        Assert.StartsWith("rds:real-estate-ai-db-", entry.Target);
        Assert.Contains("scratch instance drill-real-estate-ai-db-", entry.Action);
    }

    [Fact]
    public void Missing_backups_and_bad_input_are_errors_with_their_ids_and_nothing_is_restored()
    {
        var before = Requests("RestoreDBInstanceFromDBSnapshot");
        Assert.Equal("DBSnapshotNotFound", Assert.Single(_s.Run("Test-DbBackup -DbSnapshotIdentifier no-such-snapshot").ErrorIds));
        Assert.Equal("DbBackupNotFound", Assert.Single(_s.Run("Test-DbBackup -Export -ExportPrefix nothing-here/").ErrorIds));
        Assert.Equal(before, Requests("RestoreDBInstanceFromDBSnapshot"));
    }

    [Fact]
    public void The_policy_check_streams_one_report_per_instance_and_a_missing_one_is_a_non_terminating_error()
    {
        var run = _s.Run("'real-estate-ai-db', 'no-such-instance' | Test-DbBackupPolicy");
        var report = Assert.Single(run.Objects<DbBackupPolicyReport>());
        Assert.Equal(DbBackupPolicyVerdict.Pass, report.Verdict);
        Assert.Equal("DBInstanceNotFound", Assert.Single(run.ErrorIds));
        var quiet = _s.Run("'real-estate-ai-db', 'no-such-instance' | Test-DbBackupPolicy -Quiet -ErrorAction SilentlyContinue");
        Assert.False(Assert.Single(quiet.Objects<bool>()));
        Assert.Equal("DbBackupWindowInvalid", Assert.Single(_s.Run("Test-DbBackupPolicy -BackupWindow 2-3").ErrorIds));
    }
}
