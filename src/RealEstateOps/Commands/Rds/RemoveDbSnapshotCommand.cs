using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>Deletes a manual DB snapshot (automated ones expire with their retention period).</summary>
[Cmdlet(VerbsCommon.Remove, "DbSnapshot", DefaultParameterSetName = "ById", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveDbSnapshotCommand : RdsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    [Alias("DBSnapshotIdentifier")]
    [ArgumentCompleter(typeof(DbSnapshotIdCompleter))]
    public string SnapshotId { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public DbSnapshot? InputObject { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = InputObject?.SnapshotId ?? SnapshotId;
        RdsIdentifiers.ValidateSnapshotRef(id);
        Change(id, "Delete DB snapshot", ct => Rds.DeleteSnapshotAsync(id, ct), Force);
    }
}
