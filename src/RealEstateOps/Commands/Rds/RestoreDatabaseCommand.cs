using System.Collections;
using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// The recovery runbook's restore: a new DB instance from a snapshot, after pre-flight checks, with the
/// source instance's network settings unless given; -Wait until it is available.
/// </summary>
[Cmdlet(VerbsData.Restore, "Database", DefaultParameterSetName = "ById", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbInstance))]
public sealed class RestoreDatabaseCommand : RdsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    [Alias("DBSnapshotIdentifier")]
    [ArgumentCompleter(typeof(DbSnapshotIdCompleter))]
    public string SnapshotId { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public DbSnapshot? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    public string TargetInstanceId { get; set; } = "";

    [Parameter] public string? InstanceClass { get; set; }
    [Parameter] public string? SubnetGroup { get; set; }
    [Parameter] public string[]? VpcSecurityGroupId { get; set; }
    [Parameter] public SwitchParameter MultiAZ { get; set; }
    [Parameter] public SwitchParameter PubliclyAccessible { get; set; }
    [Parameter] public string? ParameterGroup { get; set; }

    [Parameter]
    [ValidateRange(1150, 65535)]
    public int? Port { get; set; }

    [Parameter]
    [ValidateSet("gp2", "gp3", "io1", "io2", "standard")]
    public string? StorageType { get; set; }

    [Parameter] public Hashtable? Tag { get; set; }
    [Parameter] public SwitchParameter DeletionProtection { get; set; }
    [Parameter] public SwitchParameter CopyTagsToSnapshot { get; set; }

    [Parameter] public SwitchParameter Wait { get; set; }

    /// <summary>How long -Wait waits: restored instances can stay in backing-up for hours.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(3);

    [Parameter] public SwitchParameter Force { get; set; }

    private bool? Given(string name, SwitchParameter value) => MyInvocation.BoundParameters.ContainsKey(name) ? value.IsPresent : null;

    protected override void ProcessRecordCore()
    {
        var snapshotId = InputObject?.SnapshotId ?? SnapshotId;
        var given = new RestoreDbInstanceRequest
        {
            DbInstanceId = TargetInstanceId, SnapshotId = snapshotId, InstanceClass = InstanceClass, SubnetGroup = SubnetGroup,
            VpcSecurityGroupIds = VpcSecurityGroupId, MultiAZ = Given(nameof(MultiAZ), MultiAZ), PubliclyAccessible = Given(nameof(PubliclyAccessible), PubliclyAccessible),
            ParameterGroup = ParameterGroup, Port = Port, StorageType = StorageType, Tags = TagsOf(Tag),
            DeletionProtection = Given(nameof(DeletionProtection), DeletionProtection), CopyTagsToSnapshot = Given(nameof(CopyTagsToSnapshot), CopyTagsToSnapshot),
        };
        var (request, snapshot, notes) = Run(ct => Rds.PrepareRestoreAsync(given, ct));
        foreach (var note in notes)
        {
            if (note.StartsWith("The source instance", StringComparison.Ordinal)) WriteWarning(note);
            else WriteVerbose("Copied from the source instance: " + note + ".");
        }
        var instance = Change(TargetInstanceId, $"Restore snapshot '{snapshot.SnapshotId}' ({snapshot.SnapshotCreateTime:u}) to a new DB instance",
            ct => Rds.RestoreAsync(request, ct), Force);
        if (instance is null) return;
        if (Wait)
            instance = WaitFor(TargetInstanceId, $"instance {TargetInstanceId}", (progress, ct) => Rds.WaitInstanceAsync(TargetInstanceId, Timeout, progress, ct),
                $"Get-DbInstance {TargetInstanceId} or Wait-DbInstance {TargetInstanceId}");
        WriteObject(instance);
    }
}
