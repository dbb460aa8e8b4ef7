using System.Management.Automation;
using RealEstateOps.Commands.Maintenance;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// "aws rds apply-pending-maintenance-action": opts a DB instance in to a pending action now (immediate: the instance upgrades or is
/// modified, with an outage), in its next maintenance window (next-maintenance), or undoes the opt-in (undo-opt-in). In the Database
/// maintenance window unless -IgnoreMaintenanceWindow -Reason; -WhatIf applies nothing; journaled. Takes Get-DbPendingMaintenance's output.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DbPendingMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbPendingMaintenanceAction))]
[MaintenanceWindow("Database")]
public sealed class InvokeDbPendingMaintenanceCommand : RdsCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    /// <summary>The pending action to apply (ApplyAction): system-update, db-upgrade, ...</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ApplyAction")]
    [ArgumentCompleter(typeof(DbPendingActionCompleter))]
    public string Action { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateSet("immediate", "next-maintenance", "undo-opt-in")]
    public string OptInType { get; set; } = "";

    /// <summary>With -OptInType immediate: wait until the instance is available again (the action applied).</summary>
    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = InstanceId(DbInstanceId);
        var pending = Run(ct => PendingMaintenance.PrepareApplyAsync(id, Action, OptInType, ct));
        var what = OptInType switch
        {
            "immediate" => "now (the instance is upgraded or modified, with an outage)",
            "next-maintenance" => "in its next maintenance window",
            _ => "no longer: undo the opt-in",
        };
        var action = $"Apply pending maintenance '{pending.Action}' ({pending.Description}) to DB instance '{id}' {what}";
        if (Wait && OptInType != "immediate")
            WriteWarning("-Wait waits only for an action applied now (-OptInType immediate); this one waits for the maintenance window.");
        var after = Wait && OptInType == "immediate"
            ? ChangeThenWait(id, action, ct => PendingMaintenance.ApplyAsync(pending, OptInType, ct), applied =>
            {
                WaitForInstance(id, Timeout);
                return applied;
            }, Force)
            : Change(id, action, ct => PendingMaintenance.ApplyAsync(pending, OptInType, ct), Force);
        if (after is not null) WriteObject(after);
    }
}
