using System.Diagnostics;
using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Maintenance;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Commands.Eks;

/// <summary>
/// The whole Kubernetes minor upgrade of an EKS cluster: pre-flight (Test-EksUpgradeReadiness; a failing check stops it
/// before any change), control plane, add-ons (each to the target's default version), managed node groups one at a time,
/// verification. Each step is one journal entry (its update and its wait). -WhatIf writes the plan and makes no update
/// call. Stopped or failed, it is run again to resume: the plan is read from the cluster (versions, updates still running,
/// which it waits for instead of starting others), never from a local file.
/// </summary>
[Maintenance.MaintenanceWindow("Kubernetes")]
[Cmdlet(VerbsLifecycle.Invoke, "EksUpgrade", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(EksUpgradeResult))]
public sealed class InvokeEksUpgradeCommand : EksCommandBase
{
    private const int OverallActivity = 1;
    private const int StepActivity = 2;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    /// <summary>The target minor ("1.33"); left out, the next minor (or the control plane's own while node groups still trail it: an unfinished upgrade is finished first).</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(KubernetesVersionCompleter))]
    public string? KubernetesVersion { get; set; }

    /// <summary>How add-on updates treat fields changed on the cluster: Preserve (default) keeps them, Overwrite replaces them, None fails on a conflict.</summary>
    [Parameter]
    [ValidateSet("Overwrite", "None", "Preserve")]
    public string ResolveConflicts { get; set; } = "Preserve";

    /// <summary>EKS's force for the node group updates: evict pods even when a disruption budget refuses (instead of failing with PodEvictionFailure).</summary>
    [Parameter] public SwitchParameter ForceEvictPastDisruptionBudget { get; set; }

    /// <summary>Skips the confirmation prompts only (never the pre-flight, never disruption budgets).</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>How long each step's update may take.</summary>
    [Parameter]
    [Duration]
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long the final verification waits for deployments to be available again after the nodes were replaced.</summary>
    [Parameter]
    [Duration]
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromMinutes(10);

    [Parameter] public string? Kubeconfig { get; set; }
    [Parameter] public string? KubeContext { get; set; }

    /// <summary>Silences the cluster's PodRestartingOften and HighErrorRate while the steps run; expired when the command ends, however it ends.</summary>
    [Parameter] public SwitchParameter SilenceAlerts { get; set; }

    /// <summary>The Alertmanager for -SilenceAlerts; defaults to the context's ServiceUrls['alertmanager'].</summary>
    [Parameter] public string? AlertmanagerUrl { get; set; }

    protected override bool ReadsNodes => true;
    protected override string? KubeconfigParameter => Kubeconfig;
    protected override string? KubeContextParameter => KubeContext;

    protected override void ProcessRecordCore()
    {
        var cluster = ClusterNameOf(ClusterName);
        var version = KubernetesVersion is null ? null : Minor(KubernetesVersion);
        var watch = Stopwatch.StartNew();
        var request = new EksUpgradeRequest
        {
            ClusterName = cluster, TargetVersion = version, ForceEvictPastDisruptionBudget = ForceEvictPastDisruptionBudget,
            ResolveConflicts = Enum.Parse<EksResolveConflicts>(ResolveConflicts, ignoreCase: true),
        };
        var kube = RequireKube();
        var upgrader = new EksUpgrader(Eks, kube);
        var activity = $"Upgrading EKS cluster {cluster}";

        // 1. The pre-flight: a failing check stops the upgrade before any change (under -WhatIf, it is said and the plan still shown).
        Overall(activity, "Pre-flight (Test-EksUpgradeReadiness)", 0);
        var ignoreWindow = MyInvocation.BoundParameters.TryGetValue("IgnoreMaintenanceWindow", out var iw) && LanguagePrimitives.IsTrue(iw);
        var window = EksReadinessWindow.From(new MaintenanceSchedule(ActiveContext), MaintenanceKind.Kubernetes);
        var readiness = Run(ct => new EksReadinessChecker(Eks, kube).CheckAsync(
            new EksReadinessRequest { ClusterName = cluster, TargetVersion = version, IgnoreMaintenanceWindow = ignoreWindow }, window, Listener, ct));
        version = readiness.TargetVersion;
        foreach (var warn in readiness.Warnings) WriteWarning($"Pre-flight: {warn.Check} {warn.Subject}: {warn.Detail}");
        if (readiness.Failed.Length > 0)
        {
            var notReady = readiness.NotReadyError(isFatal: true);
            if (!IsWhatIf)
            {
                Journal("cluster/" + cluster, $"Upgrade cluster {cluster} to {version}", JournalOutcome.Failed, watch.Elapsed, notReady.ErrorId, notReady.Message);
                throw notReady;
            }
            WriteWarning(notReady.Message);
        }

        // 2. The plan, from the cluster as it stands now.
        var plan = Run(ct => upgrader.PlanAsync(request with { TargetVersion = version }, Listener, ct));
        if (plan.IsResume)
            WriteWarning($"Resuming the upgrade of {cluster} to {plan.TargetVersion}: " + string.Join("; ", plan.Steps
                .Where(s => s.Kind != EksUpgradeStepKind.Verify && s.State != EksUpgradeStepState.Pending)
                .Select(s => s.State == EksUpgradeStepState.Done ? $"{s.Name} is done" : $"{s.Name}'s update {s.UpdateId} is still running (waiting for it)")) + ".");

        var pending = plan.Steps.Count(s => s.State != EksUpgradeStepState.Done && s.Kind != EksUpgradeStepKind.Verify);
        WithMaintenanceSilence(SilenceAlerts && pending > 0, AlertmanagerUrl, MaintenanceKind.Kubernetes, StepTimeout * Math.Max(1, pending) + VerifyTimeout,
            () => MaintenanceSilenceScope.ForCluster($"cluster {cluster}", Array.Empty<string>()), () =>
        {
            var results = new List<EksUpgradeStepResult>();
            EksUpgradeVerification? verification = null;
            string versionAfter = plan.ControlPlaneVersion;
            var total = plan.Steps.Length;
            foreach (var step in plan.Steps)
            {
                Overall(activity, $"Step {step.Number}/{total}: {step.Action}", (step.Number - 1) * 100 / total);
                var stepWatch = Stopwatch.StartNew();
                if (step.State == EksUpgradeStepState.Done)
                {
                    WriteVerbose($"Step {step.Number}: {step.Name} is at {step.ToVersion} already.");
                    results.Add(Result(step, EksUpgradeStepOutcome.AlreadyDone, null, step.FromVersion, stepWatch.Elapsed));
                    continue;
                }
                if (step.Kind == EksUpgradeStepKind.Verify)
                {
                    if (IsWhatIf)
                    {
                        WriteVerbose($"What if: {step.Action}.");
                        results.Add(Result(step, EksUpgradeStepOutcome.WhatIf, null, null, TimeSpan.Zero));
                        continue;
                    }
                    verification = Verify(upgrader, plan);
                    versionAfter = verification.ControlPlaneVersion;
                    var passed = verification.Passed;
                    var message = passed ? null : "Not verified: " + string.Join("; ", verification.Reasons) + ".";
                    Journal(step.Target, step.Action, passed ? JournalOutcome.Succeeded : JournalOutcome.Failed, stepWatch.Elapsed, passed ? null : "EksUpgradeVerifyFailed", message);
                    results.Add(Result(step, passed ? EksUpgradeStepOutcome.Succeeded : EksUpgradeStepOutcome.Failed, null, step.ToVersion, stepWatch.Elapsed,
                        passed ? null : "EksUpgradeVerifyFailed", message));
                    continue;
                }

                EksUpdate? update;
                try
                {
                    update = ChangeThenWait(step.Target, step.Action,
                        ct => upgrader.StartStepAsync(plan, step, request, ct),
                        started => WaitStep(upgrader, plan, step, started), Force);
                }
                catch (OpsException ex) when (!Stopping)
                {
                    results.Add(Result(step, EksUpgradeStepOutcome.Failed, (ex.Target as EksUpdate)?.UpdateId ?? step.UpdateId, null, stepWatch.Elapsed, ex.ErrorId, ex.Message));
                    var failed = Finish(plan, results, verification, versionAfter, watch.Elapsed);
                    WriteObject(failed);
                    Overall(activity, "Stopped", 100, completed: true);
                    throw StepFailed(plan, step, ex, results);
                }
                if (update is null)
                {
                    var outcome = IsWhatIf ? EksUpgradeStepOutcome.WhatIf : EksUpgradeStepOutcome.Declined;
                    results.Add(Result(step, outcome, step.UpdateId, null, stepWatch.Elapsed));
                    if (outcome == EksUpgradeStepOutcome.Declined) break;
                    continue;
                }
                if (step.Kind == EksUpgradeStepKind.ControlPlane) versionAfter = step.ToVersion ?? versionAfter;
                results.Add(Result(step, EksUpgradeStepOutcome.Succeeded, update.UpdateId, step.ToVersion, stepWatch.Elapsed, resumed: step.State == EksUpgradeStepState.InProgress));
            }

            var result = Finish(plan, results, verification, versionAfter, watch.Elapsed);
            Overall(activity, "Done", 100, completed: true);
            WriteObject(result);
            if (verification is { Passed: false })
                WriteOpsError(new OpsException("EksUpgradeVerifyFailed", OpsErrorCategory.InvalidResult,
                    $"Every update of cluster {cluster} to {plan.TargetVersion} ended, but the verification failed after {Waiter.Format(VerifyTimeout)}: {string.Join("; ", verification.Reasons)}.", cluster)
                {
                    RecommendedAction = $"Look at what it names (Get-KubeNode, Test-Deployment -Namespace <ns>, Get-EksAddon); run Invoke-EksUpgrade -ClusterName {cluster} -KubernetesVersion {plan.TargetVersion} again to verify once more.",
                });
        });
    }

    private EksUpgradeResult Finish(EksUpgradePlan plan, List<EksUpgradeStepResult> results, EksUpgradeVerification? verification, string versionAfter, TimeSpan duration)
    {
        foreach (var step in plan.Steps.Where(s => results.All(r => r.Number != s.Number)))
            results.Add(Result(step, EksUpgradeStepOutcome.NotRun, step.UpdateId, null, TimeSpan.Zero));
        return new EksUpgradeResult
        {
            Cluster = plan.Cluster, TargetVersion = plan.TargetVersion, VersionBefore = plan.ControlPlaneVersion, VersionAfter = versionAfter,
            Steps = results.OrderBy(r => r.Number).ToArray(), Verification = verification, Resumed = plan.IsResume, WhatIf = IsWhatIf, Duration = duration,
        };
    }

    private static EksUpgradeStepResult Result(EksUpgradeStep step, EksUpgradeStepOutcome outcome, string? updateId, string? versionAfter, TimeSpan duration,
        string? errorId = null, string? message = null, bool resumed = false) => new()
    {
        Number = step.Number, Kind = step.Kind, Name = step.Name, Target = step.Target, Action = step.Action, Outcome = outcome, UpdateId = updateId, Resumed = resumed,
        VersionBefore = step.FromVersion, VersionAfter = versionAfter, ToVersion = step.ToVersion, Duration = duration, ErrorId = errorId, Message = message,
    };

    /// <summary>The command that resumes this upgrade, for messages.</summary>
    private static string ResumeUpgrade(EksUpgradePlan plan) => $"Invoke-EksUpgrade -ClusterName {plan.Cluster} -KubernetesVersion {plan.TargetVersion}";

    /// <summary>A failed step ends the upgrade: the error keeps the step's own id (PodEvictionFailure, ResourceInUseException, ...) and says which step, what is done, and how to resume.</summary>
    private static OpsException StepFailed(EksUpgradePlan plan, EksUpgradeStep step, OpsException cause, List<EksUpgradeStepResult> results)
    {
        var done = results.Where(r => r.Outcome is EksUpgradeStepOutcome.Succeeded or EksUpgradeStepOutcome.AlreadyDone).Select(r => r.Name).ToList();
        return new OpsException(cause.ErrorId, cause.Category,
            $"Step {step.Number} of {plan.Steps.Length} failed ({step.Action}): {cause.Message} " +
            (done.Count > 0 ? $"Done before it: {string.Join(", ", done)}. " : "Nothing before it was changed. ") +
            $"Fix the cause, then run {ResumeUpgrade(plan)} again: it reads where the cluster stands and resumes from this step.", cause.Target ?? step.Target, cause, isFatal: true)
        {
            RecommendedAction = (cause.RecommendedAction is { } r ? r + " " : "") + $"Then resume with {ResumeUpgrade(plan)}.",
        };
    }

    /// <summary>
    /// Waits for a step's update with nested progress (the step's phase under the overall step). Ctrl+C stops the wait at once;
    /// the update goes on at AWS, and the warning says how to resume: this command again (it waits for that update), or Wait-EksUpdate.
    /// </summary>
    private EksUpdate WaitStep(EksUpgrader upgrader, EksUpgradePlan plan, EksUpgradeStep step, EksUpdate update)
    {
        try
        {
            return WaitOnAws(update, (progress, ct) => upgrader.WaitStepAsync(update, StepTimeout, progress, ct), (elapsed, status) =>
                $"Stopped waiting after {Waiter.Format(elapsed)} at step {step.Number} of {plan.Steps.Length} ({step.Action}): the update is still running on AWS " +
                $"(update {update.UpdateId} of {update.Target}, last status: {status}). Nothing was undone. " +
                $"Resume the upgrade with {ResumeUpgrade(plan)} (it waits for this update instead of starting another), or follow the update alone with {ResumeCommand(update)}.",
                new StepProgress(this));
        }
        finally
        {
            // Nothing may be written while the pipeline stops: it would replace the message above with a bare stop.
            if (!Stopping) Post(() => Write(new OpsProgress(StepActivity, "Waiting", "done", 100, Completed: true, ParentId: OverallActivity)));
        }
    }

    private EksUpgradeVerification Verify(EksUpgrader upgrader, EksUpgradePlan plan)
    {
        var progress = new StepProgress(this);
        return Run(ct => upgrader.VerifyAsync(plan.Cluster, plan.TargetVersion, VerifyTimeout, progress, Listener, ct));
    }

    private void Overall(string activity, string status, int percent, bool completed = false) =>
        Write(new OpsProgress(OverallActivity, activity, status, percent, completed));

    /// <summary>A wait's progress nested under the overall step.</summary>
    private sealed class StepProgress : IProgress<WaitProgress>
    {
        private readonly InvokeEksUpgradeCommand _cmdlet;
        public StepProgress(InvokeEksUpgradeCommand cmdlet) => _cmdlet = cmdlet;

        public void Report(WaitProgress value)
        {
            _cmdlet.Post(() => _cmdlet.Write(value.ToProgress(StepActivity, OverallActivity)));
        }
    }

}
