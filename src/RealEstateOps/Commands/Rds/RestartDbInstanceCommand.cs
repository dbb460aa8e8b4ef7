using System.Management.Automation;
using RealEstateOps.Commands.Maintenance;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// RebootDBInstance: applies static parameter changes (pending-reboot); -ForceFailover fails a Multi-AZ instance over to its standby.
/// Bound to the Database maintenance window (-IgnoreMaintenanceWindow -Reason to override); -Wait waits until it is available again.
/// </summary>
[Cmdlet(VerbsLifecycle.Restart, "DbInstance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbInstance))]
[MaintenanceWindow("Database")]
public sealed class RestartDbInstanceCommand : RdsCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    /// <summary>Reboot with a failover to the standby (Multi-AZ only).</summary>
    [Parameter] public SwitchParameter ForceFailover { get; set; }

    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Skips the confirmation prompt (not the maintenance window).</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = InstanceId(DbInstanceId);
        var before = Run(ct => Maintenance.PrepareRebootAsync(id, ForceFailover, ct));
        if (before.PendingReboot) WriteVerbose($"{id} has parameter changes pending a reboot (group {before.ParameterGroup}): this reboot applies them.");
        var action = ForceFailover ? $"Reboot DB instance '{id}' with a failover to its standby" : $"Reboot DB instance '{id}'";
        var instance = Wait
            ? ChangeThenWait(id, action, ct => Maintenance.RebootAsync(id, ForceFailover, ct),
                _ => WaitForInstance(id, Timeout), Force)
            : Change(id, action, ct => Maintenance.RebootAsync(id, ForceFailover, ct), Force);
        if (instance is not null) WriteObject(instance);
    }
}
