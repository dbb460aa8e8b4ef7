using System.Collections;
using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// The recovery runbook's restore: a new DB instance from a snapshot, or from a source instance as it was at a point in time
/// (-ToTime, -UseLatestRestorableTime: RestoreDBInstanceToPointInTime, refused outside the restorable window before any change),
/// after pre-flight checks, with the source instance's network settings unless given; -Wait until it is available. Pipeline
/// input is collected first: several sources aimed at one target instance are refused (RestoreTargetAmbiguous) before anything
/// changes, under -WhatIf too.
/// </summary>
[Cmdlet(VerbsData.Restore, "Database", DefaultParameterSetName = "ById", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbInstance))]
public sealed class RestoreDatabaseCommand : RdsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    [Alias("DBSnapshotIdentifier")]
    [ArgumentCompleter(typeof(DbSnapshotIdCompleter))]
    public string SnapshotId { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public DbSnapshot? InputObject { get; set; }

    /// <summary>The time to restore the source instance to: a local time is converted to UTC (the ShouldProcess text says the UTC time).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ToTime")]
    [Alias("RestoreTime")]
    public DateTime ToTime { get; set; }

    /// <summary>Restore the source instance to its latest restorable time (typically five minutes ago).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Latest")]
    public SwitchParameter UseLatestRestorableTime { get; set; }

    /// <summary>The instance restored to a point in time; default: the context's DbInstanceId. Binds from Get-DbInstance's output.</summary>
    [Parameter(ParameterSetName = "ToTime", ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = "Latest", ValueFromPipelineByPropertyName = true)]
    [Alias("DbInstanceId", "SourceDBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? SourceDbInstanceId { get; set; }

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

    private readonly List<DbRestoreSettings> _requests = new();

    /// <summary>Collects the input: several sources aimed at one target are refused before anything changes (EndProcessing).</summary>
    protected override void ProcessRecordCore()
    {
        var settings = new RestoreDbInstanceRequest
        {
            DbInstanceId = TargetInstanceId, SnapshotId = InputObject?.SnapshotId ?? SnapshotId, InstanceClass = InstanceClass, SubnetGroup = SubnetGroup,
            VpcSecurityGroupIds = VpcSecurityGroupId, MultiAZ = Given(nameof(MultiAZ), MultiAZ), PubliclyAccessible = Given(nameof(PubliclyAccessible), PubliclyAccessible),
            ParameterGroup = ParameterGroup, Port = Port, StorageType = StorageType, Tags = TagsOf(Tag),
            DeletionProtection = Given(nameof(DeletionProtection), DeletionProtection), CopyTagsToSnapshot = Given(nameof(CopyTagsToSnapshot), CopyTagsToSnapshot),
        };
        if (ParameterSetName is "ById" or "ByObject")
        {
            _requests.Add(settings);
            return;
        }
        var source = InstanceId(SourceDbInstanceId, nameof(SourceDbInstanceId));
        // A DateTime of unspecified kind (Get-Date, a typed string) is local time, as PowerShell shows it.
        DateTimeOffset? at = UseLatestRestorableTime ? null : new DateTimeOffset(ToTime.ToUniversalTime(), TimeSpan.Zero);
        DbRestoreSettings common = settings;
        _requests.Add(new PointInTimeRestoreRequest
        {
            DbInstanceId = common.DbInstanceId, InstanceClass = common.InstanceClass, SubnetGroup = common.SubnetGroup, VpcSecurityGroupIds = common.VpcSecurityGroupIds,
            MultiAZ = common.MultiAZ, PubliclyAccessible = common.PubliclyAccessible, ParameterGroup = common.ParameterGroup, Port = common.Port,
            StorageType = common.StorageType, Tags = common.Tags, DeletionProtection = common.DeletionProtection, CopyTagsToSnapshot = common.CopyTagsToSnapshot,
            SourceDbInstanceId = source, RestoreTime = at, UseLatestRestorableTime = UseLatestRestorableTime,
        });
    }

    protected override void EndProcessingCore()
    {
        try
        {
            RdsOperations.EnsureOneSnapshotPerTarget(_requests);
        }
        catch (OpsException ex) when (ex.Target is RestoreTargetConflict conflict)
        {
            Journal(conflict.TargetInstanceId, $"Restore {conflict.SnapshotIds.Count} snapshots to one new DB instance", JournalOutcome.Failed, TimeSpan.Zero, ex.ErrorId, ex.Message);
            throw;
        }
        foreach (var given in _requests)
        {
            try
            {
                if (given is PointInTimeRestoreRequest pointInTime) RestoreToPointInTime(pointInTime);
                else Restore((RestoreDbInstanceRequest)given);
            }
            catch (OpsException ex) when (!ex.IsFatal) { WriteOpsError(ex); }
        }
    }

    private void Restore(RestoreDbInstanceRequest given)
    {
        var target = given.DbInstanceId;
        var (request, snapshot) = Run(ct => Rds.PrepareRestoreAsync(given, Listener, ct));
        var action = $"Restore snapshot '{snapshot.SnapshotId}' ({snapshot.SnapshotCreateTime:u}) to a new DB instance";
        MakeRestore(target, action, ct => Rds.RestoreAsync(request, ct));
    }

    /// <summary>The restore call as a change (ShouldProcess, journal), with -Wait until the new instance is available; writes the instance.</summary>
    private void MakeRestore(string target, string action, Func<CancellationToken, Task<DbInstance>> restore)
    {
        var instance = Wait
            ? ChangeThenWait(target, action, restore, _ => WaitForInstance(target, Timeout), Force)
            : Change(target, action, restore, Force);
        if (instance is not null) WriteObject(instance);
    }

    private void RestoreToPointInTime(PointInTimeRestoreRequest given)
    {
        var target = given.DbInstanceId;
        var (request, source, at) = Run(ct => Rds.PreparePointInTimeRestoreAsync(given, Listener, ct));
        var action = at is { } time
            ? $"Restore DB instance '{source.DbInstanceId}' as it was at {time.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC to a new DB instance"
            : $"Restore DB instance '{source.DbInstanceId}' as it was at its latest restorable time ({source.LatestRestorableTime?.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC now) to a new DB instance";
        MakeRestore(target, action, ct => Rds.RestoreToPointInTimeAsync(request, ct));
    }
}
