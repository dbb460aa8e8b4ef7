using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// A whole Kubernetes minor upgrade of an EKS cluster, in the order EKS requires: control plane (UpdateClusterVersion),
/// then each add-on to the target's default version (UpdateAddon), then the managed node groups one at a time
/// (UpdateNodegroupVersion), then the verification. The plan is read from the cluster itself every time — versions, and
/// updates still running (ListUpdates/DescribeUpdate) — so an interrupted upgrade resumes where the cluster stands: a step
/// already at the target is skipped, a step whose update is running is waited for instead of started again. Each step is
/// started and waited for separately so that the caller can journal and show each one.
/// </summary>
public sealed class EksUpgrader
{
    private readonly EksOperations _ops;
    private readonly KubeClient _kube;
    private readonly TimeProvider _time;

    /// <summary><paramref name="ops"/> should have been given the cluster's Kubernetes client too (node phases while waiting, nodes of node groups).</summary>
    public EksUpgrader(EksOperations ops, KubeClient kube, TimeProvider? time = null)
    {
        _ops = ops;
        _kube = kube;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The steps, each with where it stands now. Reads only. A target more than one minor above the control plane, or below it, is refused (EksVersionSkip, EksVersionDowngrade).</summary>
    public async Task<EksUpgradePlan> PlanAsync(EksUpgradeRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var state = await EksUpgradeState.ReadAsync(_ops, request.ClusterName, ct).ConfigureAwait(false);
        var cluster = state.Cluster.Name;
        var cp = state.ControlPlane;
        EksVersion target;
        if (request.TargetVersion is { } given) target = EksVersion.Parse(given);
        else
        {
            (target, var why) = state.DefaultTarget();
            events.Verbose($"KubernetesVersion: {target} ({why}).");
        }
        if (target != cp && EksVersion.StepRefusal(cluster, cp, target) is { } refusal) throw refusal;

        var steps = new List<EksUpgradeStep>();
        int Next() => steps.Count + 1;

        // The control plane.
        // Only a running version update is this step's own; another (a logging or access change) makes EKS refuse ours with ResourceInUseException.
        var cpUpdate = cp == target ? null : await state.RunningUpdateAsync(null, null, ct).ConfigureAwait(false) is { Type: "VersionUpdate" } v ? v : null;
        steps.Add(new EksUpgradeStep
        {
            Number = Next(), Kind = EksUpgradeStepKind.ControlPlane, Name = cluster, Target = "cluster/" + cluster, FromVersion = cp.ToString(), ToVersion = target.ToString(),
            State = cp == target ? EksUpgradeStepState.Done : cpUpdate is not null ? EksUpgradeStepState.InProgress : EksUpgradeStepState.Pending, UpdateId = cpUpdate?.UpdateId,
            Action = (cpUpdate is not null ? $"Wait for update {cpUpdate.UpdateId} (started earlier): " : "") +
                     $"Update the control plane of cluster {cluster} from {cp} to {target} (UpdateClusterVersion)",
        });

        // Add-ons, each to the target's default version (never down: a newer compatible version stays).
        var targets = await state.AddonTargetsAsync(target, ct).ConfigureAwait(false);
        foreach (var addon in state.Addons)
        {
            if (!targets.TryGetValue(addon.AddonName, out var t) || t.RecommendedVersion is not { } to)
                throw new OpsException("EksAddonVersionNotFound", OpsErrorCategory.ObjectNotFound,
                    $"EKS lists no version of add-on '{addon.AddonName}' for Kubernetes {target}: the upgrade cannot keep it working. Nothing was changed.", $"{cluster}/{addon.AddonName}")
                { RecommendedAction = $"Test-EksUpgradeReadiness -KubernetesVersion {target} shows every check; remove or replace the add-on first." };
            var running = await state.RunningUpdateAsync(null, addon.AddonName, ct).ConfigureAwait(false);
            var done = t.IsInstalledCompatible == true && EksVersion.CompareAddonVersions(addon.AddonVersion, to) >= 0;
            var toVersion = running?.TargetVersion ?? (done ? addon.AddonVersion : to);
            steps.Add(new EksUpgradeStep
            {
                Number = Next(), Kind = EksUpgradeStepKind.Addon, Name = addon.AddonName, Target = "addon/" + addon.AddonName, FromVersion = addon.AddonVersion, ToVersion = toVersion,
                State = running is not null ? EksUpgradeStepState.InProgress : done ? EksUpgradeStepState.Done : EksUpgradeStepState.Pending, UpdateId = running?.UpdateId,
                Action = (running is not null ? $"Wait for update {running.UpdateId} (started earlier): " : "") +
                         $"Update add-on {addon.AddonName} from {addon.AddonVersion} to {toVersion} (UpdateAddon, {target}'s {(t.DefaultVersion == toVersion ? "default" : "latest compatible")})",
            });
        }

        // Managed node groups, one at a time.
        foreach (var group in state.NodeGroups)
        {
            var running = await state.RunningUpdateAsync(group.NodeGroupName, null, ct).ConfigureAwait(false) is { Type: "VersionUpdate" } u ? u : null;
            var at = EksVersion.TryParse(group.Version, out var gv) && gv == target;
            steps.Add(new EksUpgradeStep
            {
                Number = Next(), Kind = EksUpgradeStepKind.NodeGroup, Name = group.NodeGroupName, Target = "nodegroup/" + group.NodeGroupName, FromVersion = group.Version, ToVersion = target.ToString(),
                State = running is not null ? EksUpgradeStepState.InProgress : at ? EksUpgradeStepState.Done : EksUpgradeStepState.Pending, UpdateId = running?.UpdateId,
                Action = (running is not null ? $"Wait for update {running.UpdateId} (started earlier): " : "") +
                         $"Update node group {group.NodeGroupName} from {group.Version} to {target} (UpdateNodegroupVersion: new nodes, old ones drained {group.MaxUnavailableText ?? "1"} at a time)" +
                         (request.ForceEvictPastDisruptionBudget ? ", evicting past disruption budgets" : ""),
            });
        }

        steps.Add(new EksUpgradeStep
        {
            Number = Next(), Kind = EksUpgradeStepKind.Verify, Name = cluster, Target = "cluster/" + cluster, ToVersion = target.ToString(), State = EksUpgradeStepState.Pending,
            Action = $"Verify cluster {cluster}: control plane, every kubelet and node group at {target}, add-ons compatible, every deployment available",
        });
        var plan = new EksUpgradePlan { Cluster = cluster, ControlPlaneVersion = cp.ToString(), TargetVersion = target.ToString(), Steps = steps.ToArray() };
        foreach (var s in plan.Steps) events.Verbose($"Step {s}" + (s.UpdateId is { } id ? $" (update {id} running)" : ""));
        return plan;
    }

    /// <summary>
    /// Starts a step's update, or, when an update for it is already running (an earlier run was interrupted), returns that one
    /// without starting another. Every update carries a clientRequestToken, so a retried call cannot start a second one.
    /// </summary>
    public async Task<EksUpdate> StartStepAsync(EksUpgradePlan plan, EksUpgradeStep step, EksUpgradeRequest request, CancellationToken ct)
    {
        var cluster = plan.Cluster;
        if (step.State == EksUpgradeStepState.InProgress && step.UpdateId is { } running)
            return await _ops.GetUpdateAsync(new EksUpdate
            {
                ClusterName = cluster, UpdateId = running,
                NodeGroupName = step.Kind == EksUpgradeStepKind.NodeGroup ? step.Name : null, AddonName = step.Kind == EksUpgradeStepKind.Addon ? step.Name : null,
            }, ct).ConfigureAwait(false);
        switch (step.Kind)
        {
            case EksUpgradeStepKind.ControlPlane:
                // The same checks Update-EksCluster makes before any call: one minor, node groups caught up.
                await _ops.CheckControlPlaneStepAsync(cluster, plan.TargetVersion, ct).ConfigureAwait(false);
                return await _ops.UpdateClusterVersionAsync(new EksClusterVersionUpdate { ClusterName = cluster, KubernetesVersion = plan.TargetVersion }, ct).ConfigureAwait(false);
            case EksUpgradeStepKind.Addon:
                return await _ops.UpdateAddonAsync(new EksAddonUpdate { ClusterName = cluster, AddonName = step.Name, AddonVersion = step.ToVersion, ResolveConflicts = request.ResolveConflicts }, ct).ConfigureAwait(false);
            case EksUpgradeStepKind.NodeGroup:
                return await _ops.UpdateNodeGroupVersionAsync(new EksNodeGroupVersionUpdate
                {
                    ClusterName = cluster, NodeGroupName = step.Name, KubernetesVersion = plan.TargetVersion, ForceEvictPastDisruptionBudget = request.ForceEvictPastDisruptionBudget,
                }, ct).ConfigureAwait(false);
            default:
                throw new ArgumentException($"Step {step.Number} ({step.Kind}) starts no update.", nameof(step));
        }
    }

    /// <summary>Waits for a step's update to end (<see cref="EksOperations.WaitUpdateAsync"/>): progress says its phase; Failed or Cancelled is an <see cref="EksUpdateFailedException"/>; Ctrl+C stops only the wait.</summary>
    public Task<EksUpdate> WaitStepAsync(EksUpdate update, TimeSpan timeout, IProgress<WaitProgress>? progress, CancellationToken ct) =>
        _ops.WaitUpdateAsync(update, timeout, progress, ct, _time);

    /// <summary>
    /// The runbook's "3. Verify": control plane at the target, every managed node group and every node's kubelet at the target,
    /// every add-on at a version compatible with it, every deployment (all namespaces) with all its replicas available — read
    /// again until it holds or <paramref name="settle"/> runs out (pods moved off replaced nodes take a moment to be ready
    /// again); then the last reading, passed or not.
    /// </summary>
    public async Task<EksUpgradeVerification> VerifyAsync(string clusterName, string targetVersion, TimeSpan settle, IProgress<WaitProgress>? progress, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var target = EksVersion.Parse(targetVersion);
        EksUpgradeVerification? last = null;
        try
        {
            return await Waiter.WaitAsync(
                async token => last = await ReadVerificationAsync(clusterName, target, token).ConfigureAwait(false),
                v => v.Passed ? WaitCheck.Done("verified") : WaitCheck.Pending(v.Reasons[0] + (v.Reasons.Length > 1 ? $" (and {v.Reasons.Length - 1} more)" : "")),
                new WaitOptions
                {
                    Activity = $"Verifying cluster {clusterName} at {target}", Timeout = settle, InitialInterval = TimeSpan.FromSeconds(1), MaxInterval = TimeSpan.FromSeconds(10),
                    TimeoutErrorId = "EksUpgradeVerifyTimeout", Target = clusterName, Time = _time,
                }, progress, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "EksUpgradeVerifyTimeout" && last is not null)
        {
            foreach (var reason in last.Reasons) events.Verbose("Verify: " + reason);
            return last;
        }
    }

    private async Task<EksUpgradeVerification> ReadVerificationAsync(string clusterName, EksVersion target, CancellationToken ct)
    {
        var state = await EksUpgradeState.ReadAsync(_ops, clusterName, ct).ConfigureAwait(false);
        var reasons = new List<string>();
        if (state.ControlPlane != target) reasons.Add($"the control plane is at {state.ControlPlane}, not {target}");
        var groups = state.NodeGroups.Where(g => !EksVersion.TryParse(g.Version, out var v) || v != target).Select(g => $"{g.NodeGroupName} ({g.Version})").ToArray();
        if (groups.Length > 0) reasons.Add($"node group(s) not at {target}: {string.Join(", ", groups)}");
        var nodes = await _ops.GetNodesAsync(null, ct).ConfigureAwait(false);
        var behind = nodes.Where(n => !EksVersion.TryParse(n.KubeletVersion, out var v) || v != target).Select(n => $"{n.Name} ({n.KubeletVersion})").ToArray();
        if (behind.Length > 0) reasons.Add($"kubelet(s) not at {target}: {string.Join(", ", behind)}");
        var notReady = nodes.Where(n => !n.IsReady).Select(n => n.Name).ToArray();
        if (notReady.Length > 0) reasons.Add($"node(s) not Ready: {string.Join(", ", notReady)}");
        var targets = await state.AddonTargetsAsync(target, ct).ConfigureAwait(false);
        var addons = state.Addons.Where(a => !targets.TryGetValue(a.AddonName, out var t) || t.IsInstalledCompatible != true).Select(a => $"{a.AddonName} ({a.AddonVersion})").ToArray();
        if (addons.Length > 0) reasons.Add($"add-on(s) not compatible with {target}: {string.Join(", ", addons)}");

        // Every deployment of every namespace, through the runbook's Verify Deployment.
        var checker = new DeploymentHealthChecker(_kube, _time);
        var deployments = new List<DeploymentCheck>();
        var namespaces = new List<string>();
        await foreach (var ns in new KubeQueries(_kube, _time).ListNamespaceNamesAsync(new KubeListRequest(), ct).ConfigureAwait(false)) namespaces.Add(ns);
        foreach (var ns in namespaces.Order(StringComparer.Ordinal))
        {
            var verdict = await checker.CheckAsync(new DeploymentHealthRequest { Namespace = ns }, null, ct).ConfigureAwait(false);
            deployments.AddRange(verdict.Deployments);
        }
        var unavailable = deployments.Where(d => d.Available < d.Desired).Select(d => $"{d.Namespace}/{d.Name} ({d.Available}/{d.Desired} available)").ToArray();
        if (unavailable.Length > 0) reasons.Add($"deployment(s) not available: {string.Join(", ", unavailable)}");
        return new EksUpgradeVerification
        {
            Cluster = clusterName, TargetVersion = target.ToString(), ControlPlaneVersion = state.ControlPlane.ToString(), NodesNotAtTarget = behind.Concat(notReady.Select(n => n + " (NotReady)")).ToArray(),
            NodeGroupsNotAtTarget = groups, AddonsNotCompatible = addons, DeploymentsNotAvailable = unavailable, NodeCount = nodes.Count, DeploymentCount = deployments.Count,
            Reasons = reasons.ToArray(), CheckedAt = _time.GetUtcNow(),
        };
    }
}
