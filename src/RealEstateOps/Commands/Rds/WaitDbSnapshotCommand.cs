using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>Waits until a snapshot is available, with progress (PercentProgress) and a timeout.</summary>
[Cmdlet(VerbsLifecycle.Wait, "DbSnapshot", DefaultParameterSetName = "ById")]
[OutputType(typeof(DbSnapshot))]
public sealed class WaitDbSnapshotCommand : RdsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    [Alias("DBSnapshotIdentifier")]
    [ArgumentCompleter(typeof(DbSnapshotIdCompleter))]
    public string SnapshotId { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public DbSnapshot? InputObject { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    protected override void ProcessRecordCore()
    {
        var id = InputObject?.SnapshotId ?? SnapshotId;
        RdsIdentifiers.ValidateSnapshotRef(id);
        WriteObject(WaitFor(id, $"snapshot {id}", (progress, ct) => Rds.WaitSnapshotAsync(id, Timeout, progress, ct), $"Get-DbSnapshot {id} or Wait-DbSnapshot {id}"));
    }
}
