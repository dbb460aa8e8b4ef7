using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// The pre-flight of a Kubernetes minor upgrade, one verdict per check: the control plane one minor below the target;
/// version skew per node group and per node (kubelets may trail the control plane by three minors and never lead it);
/// add-ons without a version for the target, or whose installed version must move; EKS's upgrade insights for the target
/// (deprecated or removed APIs still in use); disruption budgets that would block node replacement (the drain's own
/// prediction); node groups' updateConfig against their room; updates still running; and the Kubernetes maintenance window.
/// Reads only.
/// </summary>
public sealed partial class EksReadinessChecker
{
    private readonly EksOperations _ops;
    private readonly KubeClient _kube;
    private readonly TimeProvider _time;

    /// <summary><paramref name="ops"/> should have been given the cluster's Kubernetes client too (node phases while waiting, nodes of node groups).</summary>
    public EksReadinessChecker(EksOperations ops, KubeClient kube, TimeProvider? time = null)
    {
        _ops = ops;
        _kube = kube;
        _time = time ?? TimeProvider.System;
    }

    private static EksReadinessCheck Verdict(string check, EksReadinessResult result, string subject, string cluster, EksVersion target, string detail, string? recommendation = null) =>
        new() { Check = check, Result = result, Subject = subject, Cluster = cluster, TargetVersion = target.ToString(), Detail = detail, Recommendation = result == EksReadinessResult.Pass ? null : recommendation };

    /// <summary>Every check, in the order above; each verdict is also a Verbose note. A check that cannot be made (its API failed) is a Fail that says so, and the others go on.</summary>
    public async Task<EksReadinessReport> CheckAsync(EksReadinessRequest request, EksReadinessWindow? window, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var state = await EksUpgradeState.ReadAsync(_ops, request.ClusterName, ct).ConfigureAwait(false);
        EksVersion target;
        if (request.TargetVersion is { } given) target = EksVersion.Parse(given);
        else
        {
            (target, var why) = state.DefaultTarget();
            events.Verbose($"KubernetesVersion: {target} ({why}).");
        }
        var checks = await CheckAsync(state, target, request.IgnoreMaintenanceWindow, window, events, ct).ConfigureAwait(false);
        return new EksReadinessReport { Cluster = state.Cluster.Name, CurrentVersion = state.ControlPlane.ToString(), TargetVersion = target.ToString(), Checks = checks.ToArray() };
    }

    internal async Task<List<EksReadinessCheck>> CheckAsync(EksUpgradeState state, EksVersion target, bool ignoreWindow, EksReadinessWindow? window, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var cluster = state.Cluster.Name;
        var cp = state.ControlPlane;
        var checks = new List<EksReadinessCheck>();
        void Add(EksReadinessCheck c)
        {
            checks.Add(c);
            events.Verbose($"{c.Result} {c.Check} {c.Subject}: {c.Detail}");
        }
        async Task Guarded(string check, string subject, Func<Task> body)
        {
            try { await body().ConfigureAwait(false); }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                Add(Verdict(check, EksReadinessResult.Fail, subject, cluster, target, $"The check could not be made: {ex.Message} ({ex.ErrorId})", "Run the pre-flight again; if it persists, fix what the error names."));
            }
        }

        // 1. The control plane: one minor below the target (or at it, when an earlier run moved it already).
        var csubject = "cluster/" + cluster;
        if (state.Cluster.Status is not ("ACTIVE" or "UPDATING"))
            Add(Verdict("ControlPlaneVersion", EksReadinessResult.Fail, csubject, cluster, target,
                $"Cluster {cluster} is {state.Cluster.Status}; only an ACTIVE cluster can be upgraded.", "Wait until Get-EksCluster shows it ACTIVE."));
        else if (cp == target)
            Add(Verdict("ControlPlaneVersion", EksReadinessResult.Pass, csubject, cluster, target,
                $"The control plane is at {target} already; what remains is add-ons and node groups."));
        else if (EksVersion.StepRefusal(cluster, cp, target) is { } refusal)
            Add(Verdict("ControlPlaneVersion", EksReadinessResult.Fail, csubject, cluster, target, refusal.Message,
                refusal.RecommendedAction ?? $"Choose -KubernetesVersion {cp.Next}."));
        else
            Add(Verdict("ControlPlaneVersion", EksReadinessResult.Pass, csubject, cluster, target,
                $"The control plane is at {cp}: {target} is one minor up (platform {state.Cluster.PlatformVersion ?? "unknown"})."));

        // 2. Updates still running: the upgrade waits for them instead of starting others.
        await Guarded("UpdateInProgress", csubject, async () =>
        {
            var running = new List<EksUpdate>();
            if (await state.RunningUpdateAsync(null, null, ct).ConfigureAwait(false) is { } u) running.Add(u);
            foreach (var g in state.NodeGroups)
                if (await state.RunningUpdateAsync(g.NodeGroupName, null, ct).ConfigureAwait(false) is { } gu) running.Add(gu);
            foreach (var a in state.Addons)
                if (await state.RunningUpdateAsync(null, a.AddonName, ct).ConfigureAwait(false) is { } au) running.Add(au);
            foreach (var r in running)
                Add(Verdict("UpdateInProgress", EksReadinessResult.Warn, r.Scope switch { EksUpdateScope.NodeGroup => "nodegroup/" + r.NodeGroupName, EksUpdateScope.Addon => "addon/" + r.AddonName, _ => csubject },
                    cluster, target, $"Update {r.UpdateId} ({r.Type}{(r.TargetVersion is { } v ? " to " + v : "")}) is still in progress.",
                    $"Invoke-EksUpgrade waits for it instead of starting another; to follow it alone: Wait-EksUpdate -UpdateId {r.UpdateId}."));
            if (running.Count == 0)
                Add(Verdict("UpdateInProgress", EksReadinessResult.Pass, csubject, cluster, target, "No update of the cluster, its node groups or add-ons is in progress."));
        }).ConfigureAwait(false);

        // 3. Version skew per managed node group.
        var groups = new List<GroupFacts>();
        foreach (var g in state.NodeGroups)
        {
            var subject = "nodegroup/" + g.NodeGroupName;
            groups.Add(new GroupFacts(g.NodeGroupName, g.Version, g.DesiredSize ?? 0, g.MaxUnavailable, g.MaxUnavailablePercentage));
            if (!EksVersion.TryParse(g.Version, out var gv))
            {
                Add(Verdict("VersionSkew", EksReadinessResult.Fail, subject, cluster, target, $"Node group {g.NodeGroupName} reports version '{g.Version}', which is not a Kubernetes minor.", "Check it with Get-EksNodeGroup."));
                continue;
            }
            if (gv > cp)
                Add(Verdict("VersionSkew", EksReadinessResult.Fail, subject, cluster, target,
                    $"Node group {g.NodeGroupName} is at {gv}, ahead of the control plane {cp}; kubelets may never lead it.", "Bring the node group back to the control plane's version."));
            else if (gv < cp && cp < target)
                Add(Verdict("VersionSkew", EksReadinessResult.Fail, subject, cluster, target,
                    $"Node group {g.NodeGroupName} is at {gv} and still trails the control plane {cp}: EKS's upgrade readiness (and Update-EksCluster) refuse to move the control plane to {target} until it has caught up.",
                    $"Update-EksNodeGroup {g.NodeGroupName} -KubernetesVersion {cp} -Wait, then run the pre-flight again."));
            else if (target.MinorsAfter(gv) > EksVersion.MaxKubeletLag)
                Add(Verdict("VersionSkew", EksReadinessResult.Fail, subject, cluster, target,
                    $"Node group {g.NodeGroupName} at {gv} would trail {target} by {target.MinorsAfter(gv)} minors; at most {EksVersion.MaxKubeletLag} are supported.",
                    $"Update-EksNodeGroup {g.NodeGroupName} -KubernetesVersion {cp} -Wait first."));
            else
                Add(Verdict("VersionSkew", EksReadinessResult.Pass, subject, cluster, target,
                    gv == target ? $"Node group {g.NodeGroupName} is at {target} already."
                        : $"Node group {g.NodeGroupName} at {gv} trails {target} by {target.MinorsAfter(gv)} minor(s) until it is updated (allowed: up to {EksVersion.MaxKubeletLag}, never ahead)."));
        }

        // 4. Version skew per node, from the Kubernetes API; then budgets and room, which need the nodes and pods too.
        ClusterFacts? facts = null;
        await Guarded("VersionSkew", "cluster/" + cluster, async () => facts = await ReadClusterAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        if (facts is not null)
            foreach (var c in NodeSkewChecks(cluster, cp, target, facts, state.NodeGroups.Select(g => g.NodeGroupName).ToHashSet(StringComparer.Ordinal))) Add(c);

        // 5. Add-ons: a version for the target, and whether the installed one must move.
        await Guarded("AddonCompatibility", csubject, async () =>
        {
            var targets = await state.AddonTargetsAsync(target, ct).ConfigureAwait(false);
            foreach (var addon in state.Addons)
            {
                var subject = "addon/" + addon.AddonName;
                if (!targets.TryGetValue(addon.AddonName, out var t) || t.CompatibleVersions.Count == 0)
                    Add(Verdict("AddonCompatibility", EksReadinessResult.Fail, subject, cluster, target,
                        $"Add-on {addon.AddonName} ({addon.AddonVersion}) has no version for Kubernetes {target}.",
                        $"Remove the add-on or replace it with a self-managed one before upgrading (Get-EksAddonVersion -KubernetesVersion {target} lists what there is)."));
                else if (t.IsInstalledCompatible != true)
                    Add(Verdict("AddonCompatibility", EksReadinessResult.Warn, subject, cluster, target,
                        $"Add-on {addon.AddonName} {addon.AddonVersion} is not compatible with {target}; it must move to {t.RecommendedVersion} ({(t.DefaultVersion is null ? "the latest compatible" : "the default for " + target)}).",
                        $"Invoke-EksUpgrade updates it right after the control plane; alone: Update-EksAddon {addon.AddonName} -AddonVersion {t.RecommendedVersion} -Wait."));
                else if (t.RecommendedVersion is { } r && EksVersion.CompareAddonVersions(addon.AddonVersion, r) < 0)
                    Add(Verdict("AddonCompatibility", EksReadinessResult.Pass, subject, cluster, target,
                        $"Add-on {addon.AddonName} {addon.AddonVersion} is compatible with {target}; the upgrade moves it to {target}'s default {r}."));
                else
                    Add(Verdict("AddonCompatibility", EksReadinessResult.Pass, subject, cluster, target,
                        $"Add-on {addon.AddonName} {addon.AddonVersion} is compatible with {target}."));
                if (addon.Status is not ("ACTIVE" or "UPDATING"))
                    Add(Verdict("AddonCompatibility", EksReadinessResult.Warn, subject, cluster, target,
                        $"Add-on {addon.AddonName} is {addon.Status} ({addon.Health}).", $"Look at Get-EksAddon {addon.AddonName}; an add-on that is not ACTIVE may fail its update."));
            }
            if (state.Addons.Count == 0)
                Add(Verdict("AddonCompatibility", EksReadinessResult.Pass, csubject, cluster, target, "No EKS add-ons are installed."));
        }).ConfigureAwait(false);

        // 6. EKS's upgrade insights for the target: deprecated or removed APIs still in use, and EKS's own checks.
        if (cp == target)
            Add(Verdict("UpgradeInsight", EksReadinessResult.Pass, csubject, cluster, target,
                $"The control plane is at {target} already: EKS's upgrade insights for {target} no longer apply."));
        else await Guarded("UpgradeInsight", csubject, async () =>
        {
            var insights = new List<EksInsight>();
            await foreach (var i in _ops.GetInsightsAsync(cluster, target.ToString(), null, ct).ConfigureAwait(false)) insights.Add(i);
            foreach (var listed in insights.Where(i => i.KubernetesVersion is null || i.KubernetesVersion == target.ToString()).OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var insight = listed.Status == EksInsightStatus.Passing ? listed : await _ops.DescribeInsightAsync(cluster, listed.Id, ct).ConfigureAwait(false);
                var result = insight.Status switch { EksInsightStatus.Passing => EksReadinessResult.Pass, EksInsightStatus.Error => EksReadinessResult.Fail, _ => EksReadinessResult.Warn };
                var detail = $"{insight.Name}: {insight.Status.ToString().ToUpperInvariant()}" + (insight.Reason is { Length: > 0 } reason ? $" - {reason.TrimEnd('.')}" : "");
                if (insight.Deprecations.Count > 0)
                    detail += ". In use: " + string.Join("; ", insight.Deprecations.Select(d =>
                        $"{d.Usage}" + (d.ReplacedWith is { } w ? $" (use {w})" : "") + (d.StopServingVersion is { } s ? $", removed in {s}" : "") +
                        (d.UserAgents.Count > 0 ? $", called by {string.Join(", ", d.UserAgents)}" : "")));
                if (insight.Resources.Count > 0 && result != EksReadinessResult.Pass) detail += ". Resources: " + string.Join(", ", insight.Resources.Take(4)) + (insight.Resources.Count > 4 ? $" and {insight.Resources.Count - 4} more" : "");
                Add(Verdict("UpgradeInsight", result, "insight/" + insight.Id, cluster, target, detail,
                    insight.Recommendation ?? "Fix what the insight names, then wait for EKS to refresh it (Get-EksInsight)."));
            }
            if (insights.Count == 0)
                Add(Verdict("UpgradeInsight", EksReadinessResult.Warn, csubject, cluster, target,
                    $"EKS reports no upgrade insights for {target} (they are refreshed about once a day).", "Check again later, or look for deprecated APIs yourself before upgrading."));
        }).ConfigureAwait(false);

        // 7. Disruption budgets and 8. room for node replacement: the groups the upgrade replaces (those not at the target).
        if (facts is not null)
        {
            var replaced = groups.Where(g => !EksVersion.TryParse(g.Version, out var v) || v < target).ToList();
            await Guarded("DisruptionBudget", csubject, async () =>
            {
                foreach (var c in await BudgetChecksAsync(cluster, target, replaced, facts, ct).ConfigureAwait(false)) Add(c);
            }).ConfigureAwait(false);
            foreach (var c in UpdateConfigChecks(cluster, target, replaced, facts)) Add(c);
        }

        // 9. The Kubernetes maintenance window.
        Add(WindowCheck(cluster, target, window, ignoreWindow));
        return checks;
    }

    private EksReadinessCheck WindowCheck(string cluster, EksVersion target, EksReadinessWindow? window, bool ignored)
    {
        const string subject = "window/Kubernetes";
        if (window is null)
            return Verdict("MaintenanceWindow", EksReadinessResult.Warn, subject, cluster, target, "No Kubernetes maintenance window is defined.", "Define one (the runbook's: last Saturday of the month, 01:00-05:00 UTC).");
        if (window.IsOpen)
            return Verdict("MaintenanceWindow", EksReadinessResult.Pass, subject, cluster, target,
                $"Inside the Kubernetes maintenance window ({window.Window}) until {window.ClosesAt:yyyy-MM-dd HH:mm} UTC.");
        var next = window.NextOpensAt is { } n ? $"; it next opens {n:yyyy-MM-dd HH:mm} UTC" : "";
        if (window.Enforced && !ignored)
            return Verdict("MaintenanceWindow", EksReadinessResult.Fail, subject, cluster, target,
                $"Outside the Kubernetes maintenance window ({window.Window}){next}; this context enforces windows, so the upgrade would be refused (OutsideMaintenanceWindow).",
                "Run it inside the window, or with -IgnoreMaintenanceWindow (journaled with the reason) when it cannot wait.");
        return Verdict("MaintenanceWindow", EksReadinessResult.Warn, subject, cluster, target,
            $"Outside the Kubernetes maintenance window ({window.Window}){next}" + (ignored ? "; ignored by -IgnoreMaintenanceWindow." : "; this context does not enforce it."),
            "Upgrade inside the window unless it cannot wait.");
    }
}
