using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>
/// Syncs an application (argocd app sync): to its target revision or -Revision, -DryRun to see what Argo CD would do,
/// -Prune to delete live resources that are no longer in git (that asks for confirmation), -Wait for Synced + Healthy.
/// </summary>
[Maintenance.MaintenanceWindow("Application")]
[Cmdlet(VerbsData.Sync, "ArgoApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ArgoApplication))]
public sealed class SyncArgoApplicationCommand : ArgoCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ArgoApplicationNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>A git revision (commit, tag or branch) instead of the application's target revision.</summary>
    [Parameter] public string? Revision { get; set; }

    /// <summary>Delete live resources that are no longer in git. Destructive: asks for confirmation (-Force skips the prompt).</summary>
    [Parameter] public SwitchParameter Prune { get; set; }

    [Parameter] public SwitchParameter DryRun { get; set; }

    /// <summary>Wait for Synced, Healthy and the operation's end (Wait-ArgoApplication).</summary>
    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>With -Prune: no confirmation prompt (-WhatIf still changes nothing).</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var request = new ArgoSyncRequest { Name = Name, Revision = Revision, Prune = Prune, DryRun = DryRun };
        var action = $"Sync to {Revision ?? "the target revision"}{(DryRun ? " (dry run)" : "")}{(Prune ? ", deleting resources no longer in git (prune)" : "")}";
        var target = $"Argo CD application {Name}";
        // A prune deletes resources: it is confirmed even when $ConfirmPreference would not ask; -Force or -Confirm:$false skip that.
        if (Prune && !DryRun && !Force && !IsWhatIf && !ConfirmedOff && !ConfirmDestructive(target, action,
                $"Prune deletes the live resources of '{Name}' that are no longer in git. Sync with prune?", "Sync-ArgoApplication -Prune"))
            return;
        if (!Wait || DryRun)
        {
            if (Change(target, action, ct => Operations.SyncAsync(request, Listener, ct), Force) is { } app) WriteObject(app);
            return;
        }
        if (ChangeThenWait(target, action, ct => Operations.SyncAsync(request, Listener, ct),
                _ => WaitFor(new ArgoWaitRequest { Name = Name, Timeout = Timeout }), Force) is { } done)
            WriteObject(done);
    }
}
