using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>
/// The runbook's rollback: Argo CD History → Rollback to the previous deployment (or -ToHistoryId). Argo CD refuses a
/// rollback while automated sync is on: without -DisableAutoSync that is ArgoAutoSyncEnabled before any change; with it,
/// automated sync is turned off first (its own journal entry, and a warning saying how to turn it back on). -Wait waits
/// until the rolled-back revision runs Healthy with no operation left, then runs Test-Deployment's check on the
/// application's namespace. -Notify then tells the stakeholders (the context's notification channels) what was rolled
/// back, why (-NotifyReason), and the current status.
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

    /// <summary>Tell the stakeholders (the context's notification channels, or -NotifyChannel) what was rolled back, why (-NotifyReason), and how it stands.</summary>
    [Parameter] public SwitchParameter Notify { get; set; }

    /// <summary>Why the rollback was made, for the notice (required with -Notify unless -Reason of -IgnoreMaintenanceWindow says it).</summary>
    [Parameter] [ValidateNotNullOrEmpty] public string? NotifyReason { get; set; }

    /// <summary>Only these notification channels (wildcards allowed); every channel of the context by default.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NotificationChannelCompleter))]
    public string[]? NotifyChannel { get; set; }

    protected override void ProcessRecordCore()
    {
        if (Notify && NoticeReason is null)
            throw new OpsException("NotificationReasonMissing", OpsErrorCategory.InvalidArgument,
                "-Notify tells the stakeholders why: give -NotifyReason (e.g. -NotifyReason 'v1.2.0 answers 503 on every request'). Nothing was changed.", Name, isFatal: true);
        if (Notify) _ = Notification.NotificationChannels.Resolve(ActiveContext, NotifyChannel); // no channel to tell: refused before any change
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
        WriteObject(result);
        if (Notify) SendRollbackNotice(result);
    }

    /// <summary>The runbook's last rollback step: notify stakeholders with the reason and the current status (a notice that fails is an error of its own; the rollback stands).</summary>
    private void SendRollbackNotice(ArgoRollbackResult result)
    {
        var check = result.DeploymentCheck;
        var settled = result.Waited && result.Health == ArgoHealthStatus.Healthy && check?.IsHealthy != false;
        var status = !result.Waited
            ? $"Rollback started (operation {result.OperationPhase?.ToString() ?? "requested"}); not waited for. Health {result.Health}, sync {result.Sync}."
            : $"Health {result.Health}, sync {result.Sync}" + (check is null ? "; deployments not checked." : $"; deployments {check.Status}{(check.Reasons.Length > 0 ? ": " + string.Join("; ", check.Reasons.Take(3)) : "")}.");
        if (result.AutoSyncDisabled) status += " Automated sync is OFF until a good release is in git.";
        var notice = NewNotice(
            $"Argo CD rollback of {result.Application} to {result.ToTag ?? ArgoApplication.Short(result.ToRevision)} (history id {result.HistoryId})" +
            ((result.FromTag ?? ArgoApplication.Short(result.FromRevision)) is { } from ? $", from {from}" : ""),
            NoticeReason, status, settled ? NotificationSeverity.Info : NotificationSeverity.Warning, component: result.Application);
        try
        {
            NotifyStakeholders(notice, NotifyChannel, force: true);
        }
        catch (OpsException ex) when (!ex.IsFatal)
        {
            WriteOpsError(ex);
        }
    }

    /// <summary>The notice's reason: -NotifyReason, else the -Reason given with -IgnoreMaintenanceWindow.</summary>
    private string? NoticeReason => !string.IsNullOrWhiteSpace(NotifyReason) ? NotifyReason
        : MyInvocation.BoundParameters.TryGetValue("Reason", out var r) && r is string reason && !string.IsNullOrWhiteSpace(reason) ? reason : null;

    private static string Describe(ArgoHistoryEntry? entry) =>
        entry is null ? "the current state" : $"history id {entry.Id} ({entry.Tag ?? ArgoApplication.Short(entry.Revision) ?? "no revision"})";

    /// <summary>Test-Deployment's verdict for the application's namespace; a failure to check is an error record, not a failed rollback.</summary>
    private DeploymentVerification? CheckDeployments(ArgoApplication app)
    {
        try
        {
            using var kube = OpenKube(null, null, app.DestinationNamespace);
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
