using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>
/// Turns an application's automated sync on or off (a merge patch of spec.syncPolicy.automated), e.g. back on after
/// Undo-ArgoApplication -DisableAutoSync once git holds a good release again.
/// </summary>
[Maintenance.MaintenanceWindow("Application")]
[Cmdlet(VerbsCommon.Set, "ArgoApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ArgoApplication))]
public sealed class SetArgoApplicationCommand : ArgoCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ArgoApplicationNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>$true: Argo CD syncs new commits of the target revision by itself (no prune, no self-heal); $false: only on request.</summary>
    [Parameter(Mandatory = true)] public bool AutoSync { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var action = AutoSync ? "Turn automated sync on (Argo CD then syncs the target revision's newest commit)" : "Turn automated sync off";
        if (Change($"Argo CD application {Name}", action, ct => Operations.SetAutoSyncAsync(Name, AutoSync, ct), Force) is { } app)
            WriteObject(app);
    }
}
