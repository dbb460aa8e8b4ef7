using System.Management.Automation;
using RealEstateOps.Commands.Maintenance;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// The runbook's "overloaded: scale up the instance": ModifyDBInstance with a new instance class, now (-ApplyImmediately: the instance
/// is modifying, with a short outage; -Wait waits until it is available) or in the next maintenance window (shown as PendingInstanceClass).
/// </summary>
[Cmdlet(VerbsCommon.Set, "DbInstanceClass", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbInstance))]
[MaintenanceWindow("Database")]
public sealed class SetDbInstanceClassCommand : RdsCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("InstanceClass")]
    [ArgumentCompleter(typeof(DbInstanceClassCompleter))]
    public string DbInstanceClass { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    /// <summary>Now, rather than in the instance's next maintenance window.</summary>
    [Parameter] public SwitchParameter ApplyImmediately { get; set; }

    /// <summary>With -ApplyImmediately: wait until the instance is available with its new class.</summary>
    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = InstanceId(DbInstanceId);
        DbInstanceMaintenance.ValidateClass(DbInstanceClass);
        if (Wait && !ApplyImmediately)
            WriteWarning("-Wait waits only for a change applied now (-ApplyImmediately); this one waits for the maintenance window.");
        var before = Run(ct => Maintenance.PrepareClassChangeAsync(id, DbInstanceClass, ct));
        var when = ApplyImmediately ? "now" : $"in the next maintenance window ({before.PreferredMaintenanceWindow ?? "AWS's"})";
        var action = $"Change DB instance '{id}' from {before.InstanceClass} to {DbInstanceClass}, {when}";
        var instance = Wait && ApplyImmediately
            ? ChangeThenWait(id, action, ct => Maintenance.ModifyClassAsync(id, DbInstanceClass, true, ct),
                _ => WaitForInstance(id, Timeout), Force)
            : Change(id, action, ct => Maintenance.ModifyClassAsync(id, DbInstanceClass, ApplyImmediately, ct), Force);
        if (instance is not null) WriteObject(instance);
    }
}
