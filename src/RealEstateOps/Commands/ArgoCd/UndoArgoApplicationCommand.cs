using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>
/// The runbook's rollback: Argo CD History → Rollback to the previous deployment (or -ToHistoryId). Argo CD refuses a
/// rollback while automated sync is on: without -DisableAutoSync that is ArgoAutoSyncEnabled before any change; with it,
/// automated sync is turned off first (its own journal entry, and a warning saying how to turn it back on). -Wait waits
/// until the rolled-back revision runs Healthy with no operation left, then runs Test-Deployment's check on the
/// application's namespace.
/// </summary>
[Maintenance.MaintenanceWindow("Application")]
[Cmdlet(VerbsCommon.Undo, "ArgoApplication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ArgoRollbackResult))]
public sealed class UndoArgoApplicationCommand : ArgoCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ArgoApplicationNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The history id to go back to (Get-ArgoHistory); by default the entry before the current one.</summary>
    [Parameter] [ValidateRange(0, long.MaxValue)] public long? ToHistoryId { get; set; }

    /// <summary>Turn automated sync off first when it is on (Argo CD refuses a rollback otherwise).</summary>
    [Parameter] public SwitchParameter DisableAutoSync { get; set; }

    /// <summary>Wait for the rolled-back revision to run Healthy, then check the deployments (Test-Deployment).</summary>
    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        // Refusals (auto-sync on, an operation running, no such entry) come before any prompt or change, under -WhatIf too.
        var plan = Run(ct => Operations.PlanRollbackAsync(new ArgoRollbackRequest { Name = Name, HistoryId = ToHistoryId, DisableAutoSync = DisableAutoSync }, Listener, ct));
        var target = $"Argo CD application {Name}";
        var autoSyncDisabled = false;
        if (plan.DisablesAutoSync)
        {
            var off = Change(target, "Turn automated sync off (a rollback needs it off)", ct => Operations.SetAutoSyncAsync(Name, false, ct), Force);
            if (off is null && !IsWhatIf) return;
            autoSyncDisabled = off is not null;
            if (autoSyncDisabled)
                WriteWarning($"Automated sync of Argo CD application '{Name}' is now OFF, so that the rollback stays: Argo CD will not deploy new commits of " +
                             $"{plan.Application.TargetRevision ?? "its target revision"} by itself. Once git holds a good release again, turn it back on with " +
                             $"Set-ArgoApplication {Name} -AutoSync $true (or deploy one release with Sync-ArgoApplication {Name}).");
        }

        var action = $"Roll back from {Describe(plan.From)} to {Describe(plan.To)}";
        Func<CancellationToken, Task<ArgoApplication>> rollback = ct => Operations.RollbackAsync(plan, Listener, ct);
        ArgoRollbackResult? result;
        if (!Wait)
        {
            result = Change(target, action, rollback, Force) is { } started ? Result(plan, started, autoSyncDisabled, null, waited: false) : null;
        }
        else
        {
            DeploymentVerification? check = null;
            result = ChangeThenWait(target, action, rollback, _ =>
            {
                var settled = WaitFor(new ArgoWaitRequest { Name = Name, Timeout = Timeout, Revision = plan.To.Revision });
                check = CheckDeployments(settled);
                return settled;
            }, Force) is { } settledApp ? Result(plan, settledApp, autoSyncDisabled, check, waited: true) : null;
        }
        if (result is null) return;
        // -Notify (Send-OpsNotification to the context's stakeholders with the reason and this result) goes here.
        WriteObject(result);
    }

    private static string Describe(ArgoHistoryEntry? entry) =>
        entry is null ? "the current state" : $"history id {entry.Id} ({entry.Tag ?? ArgoApplication.Short(entry.Revision) ?? "no revision"})";

    /// <summary>Test-Deployment's verdict for the application's namespace; a failure to check is an error record, not a failed rollback.</summary>
    private DeploymentVerification? CheckDeployments(ArgoApplication app)
    {
        var context = ActiveContext.Effective;
        try
        {
            using var kube = KubeClient.Open(new KubeTarget
            {
                Kubeconfig = context.KubeconfigPath, Context = context.KubeContext, Namespace = app.DestinationNamespace ?? context.Namespace,
                AwsContext = ActiveContext, Note = WriteVerbose,
            });
            WriteVerbose($"Checking the deployments of namespace '{kube.Namespace}' (Test-Deployment) on {kube.Server}.");
            return Run(ct => new DeploymentHealthChecker(kube).CheckAsync(new DeploymentHealthRequest { Namespace = kube.Namespace }, Listener, ct));
        }
        catch (OpsException ex) when (!ex.IsFatal)
        {
            WriteOpsError(ex);
            return null;
        }
    }

    private static ArgoRollbackResult Result(ArgoRollbackPlan plan, ArgoApplication app, bool autoSyncDisabled, DeploymentVerification? check, bool waited) => new()
    {
        Application = app.Name.Length > 0 ? app.Name : plan.Application.Name,
        FromHistoryId = plan.From?.Id,
        FromRevision = plan.From?.Revision,
        FromTag = plan.From?.Tag,
        HistoryId = plan.To.Id,
        ToRevision = plan.To.Revision,
        ToTag = plan.To.Tag,
        AutoSyncDisabled = autoSyncDisabled,
        Sync = app.SyncStatus,
        Health = app.Health,
        OperationPhase = app.OperationPhase,
        Waited = waited,
        DeploymentCheck = check,
    };
}
