using System.Collections;
using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>The runbook's manual backup: a manual RDS snapshot named manual-backup-yyyyMMdd unless -SnapshotId says otherwise.</summary>
[Cmdlet(VerbsCommon.New, "DbSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DbSnapshot))]
public sealed class NewDbSnapshotCommand : RdsCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    [Parameter(Position = 1)]
    public string? SnapshotId { get; set; }

    [Parameter] public Hashtable? Tag { get; set; }

    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    protected override void ProcessRecordCore()
    {
        var instance = InstanceId(DbInstanceId);
        var isDefault = string.IsNullOrEmpty(SnapshotId);
        var id = isDefault ? RdsOperations.DefaultSnapshotId(DateTimeOffset.UtcNow) : SnapshotId!;
        RdsIdentifiers.ValidateNewSnapshotId(id);
        if (isDefault) WriteVerbose($"SnapshotId: {id} (the runbook's default name).");
        var tags = TagsOf(Tag);
        Run(ct => Rds.EnsureSnapshotIdFreeAsync(id, isDefault, ct));
        var snapshot = Change(id, $"Create a manual snapshot of DB instance '{instance}'", ct => Rds.CreateSnapshotAsync(instance, id, tags, ct));
        if (snapshot is null) return;
        if (Wait)
            snapshot = WaitFor(id, $"snapshot {id}", (progress, ct) => Rds.WaitSnapshotAsync(id, Timeout, progress, ct), $"Get-DbSnapshot {id} or Wait-DbSnapshot {id}");
        WriteObject(snapshot);
    }
}
