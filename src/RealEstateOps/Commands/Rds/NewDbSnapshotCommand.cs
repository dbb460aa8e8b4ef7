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
        // Left out, the runbook's default name; given, even empty, it is checked as given (an empty id is DbSnapshotIdInvalid).
        var isDefault = !MyInvocation.BoundParameters.ContainsKey(nameof(SnapshotId));
        var id = isDefault ? RdsOperations.DefaultSnapshotId(DateTimeOffset.UtcNow) : SnapshotId ?? "";
        RdsIdentifiers.ValidateNewSnapshotId(id);
        if (isDefault) WriteVerbose($"SnapshotId: {id} (the runbook's default name).");
        var tags = TagsOf(Tag);
        Run(ct => Rds.EnsureSnapshotIdFreeAsync(id, isDefault, ct));
        var action = $"Create a manual snapshot of DB instance '{instance}'";
        var snapshot = Wait
            ? ChangeThenWait(id, action, ct => Rds.CreateSnapshotAsync(instance, id, tags, ct),
                _ => WaitFor(id, $"snapshot {id}", (progress, ct) => Rds.WaitSnapshotAsync(id, Timeout, progress, ct), $"Get-DbSnapshot {id} or Wait-DbSnapshot {id}"))
            : Change(id, action, ct => Rds.CreateSnapshotAsync(instance, id, tags, ct));
        if (snapshot is not null) WriteObject(snapshot);
    }
}
