using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.Eks;

/// <summary>The checks an upgrade pre-flight reads from the cluster's own Kubernetes API: kubelets, disruption budgets, room for node replacement.</summary>
public sealed partial class EksReadinessChecker
{
    /// <summary>What the Kubernetes-side checks need to know of a managed node group.</summary>
    internal sealed record GroupFacts(string Name, string? Version, int DesiredSize, int? MaxUnavailable, int? MaxUnavailablePercentage);

    /// <summary>The nodes (kubelet versions, node groups, allocatable) and every pod, read once for all the checks.</summary>
    internal sealed record ClusterFacts(IReadOnlyList<KubeNode> Nodes, IReadOnlyList<V1Pod> Pods);

    internal async Task<ClusterFacts> ReadClusterAsync(CancellationToken ct)
    {
        var nodes = new List<KubeNode>();
        await foreach (var n in new KubeQueries(_kube, _time).ListNodesAsync(new KubeListRequest(), ct).ConfigureAwait(false)) nodes.Add(n);
        var pods = await new KubeQueries(_kube, _time).PodsAsync(null, null, null, ct).ConfigureAwait(false);
        return new ClusterFacts(nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList(), pods);
    }

    /// <summary>
    /// Version skew, per node: a kubelet may trail the control plane by up to three minors and may never lead it. Checked
    /// against the control plane now (a kubelet ahead of it is wrong already) and against the target (a kubelet more than
    /// three minors behind it would be out of support the moment the control plane moves). Nodes outside the managed node
    /// groups are not replaced by the upgrade: they are named, as the final verification would find them behind.
    /// </summary>
    internal IEnumerable<EksReadinessCheck> NodeSkewChecks(string cluster, EksVersion controlPlane, EksVersion target, ClusterFacts facts, IReadOnlyCollection<string> managedGroups)
    {
        foreach (var node in facts.Nodes)
        {
            var subject = "node/" + node.Name;
            var version = node.Version ?? "";
            var managed = node.NodeGroup is { } g && managedGroups.Contains(g);
            var where = node.NodeGroup is { } group ? $"node group {group}" : "no managed node group";
            if (!EksVersion.TryParse(version, out var kubelet))
            {
                yield return Verdict("VersionSkew", EksReadinessResult.Warn, subject, cluster, target,
                    $"kubelet version '{version}' ({where}) could not be compared with the control plane's {controlPlane}.",
                    "Check the node with Get-KubeNode; its kubelet reports its version in status.nodeInfo.");
                continue;
            }
            var behindTarget = target.MinorsAfter(kubelet);
            if (kubelet > controlPlane)
                yield return Verdict("VersionSkew", EksReadinessResult.Fail, subject, cluster, target,
                    $"kubelet {version} ({where}) is {kubelet.MinorsAfter(controlPlane)} minor(s) ahead of the control plane {controlPlane}; a kubelet may never lead the control plane.",
                    "Replace the node with one at the control plane's version (or older) before upgrading.");
            else if (behindTarget > EksVersion.MaxKubeletLag)
                yield return Verdict("VersionSkew", EksReadinessResult.Fail, subject, cluster, target,
                    $"kubelet {version} ({where}) would trail a {target} control plane by {behindTarget} minors; at most {EksVersion.MaxKubeletLag} are supported.",
                    managed ? $"Update node group {node.NodeGroup} to {controlPlane} first (Update-EksNodeGroup {node.NodeGroup} -KubernetesVersion {controlPlane} -Wait)."
                            : "Replace the node with one at the control plane's version before upgrading.");
            else if (!managed && kubelet < target)
                yield return Verdict("VersionSkew", EksReadinessResult.Warn, subject, cluster, target,
                    $"kubelet {version} ({where}) is not replaced by the upgrade: it would trail {target} by {behindTarget} minor(s) (allowed), and the final verification expects every kubelet at {target}.",
                    "Upgrade this node yourself (self-managed or Karpenter nodes) after the control plane, before the verification.");
            else
                yield return Verdict("VersionSkew", EksReadinessResult.Pass, subject, cluster, target,
                    kubelet == target ? $"kubelet {version} ({where}) is at {target} already."
                        : $"kubelet {version} ({where}) trails {target} by {behindTarget} minor(s) until its node group is replaced (allowed: up to {EksVersion.MaxKubeletLag}, never ahead).");
        }
    }

    /// <summary>
    /// Disruption budgets that would hold up node replacement, from the drain's own prediction (<see cref="NodeDrainer.PreviewAsync"/>)
    /// for every node of the groups the upgrade replaces: a budget that allows no disruption at all fails the update
    /// (EKS gives up with PodEvictionFailure after its eviction timeout); one that only makes a node's second pod wait for a
    /// replacement slows it; a pod under several budgets cannot be evicted at all.
    /// </summary>
    internal async Task<List<EksReadinessCheck>> BudgetChecksAsync(string cluster, EksVersion target, IReadOnlyList<GroupFacts> groups, ClusterFacts facts, CancellationToken ct)
    {
        var result = new List<EksReadinessCheck>();
        var budgets = await _kube.Call(api => api.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(cancellationToken: ct), "PodDisruptionBudget", null, null).ConfigureAwait(false);
        var allowedNow = budgets.Items.ToDictionary(b => b.Metadata.NamespaceProperty + "/" + b.Metadata.Name, b => b.Status?.DisruptionsAllowed ?? 0, StringComparer.Ordinal);
        var drainer = new NodeDrainer(_kube, _time);
        // EKS's drain evicts whatever runs on the node (emptyDir data goes with the node; DaemonSets stay until it is terminated).
        var options = new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = true, EvictUnmanaged = true };
        foreach (var group in groups)
        {
            var blocking = new Dictionary<string, (bool Hard, List<string> Pods, string Message)>(StringComparer.Ordinal);
            var several = new List<string>();
            foreach (var node in facts.Nodes.Where(n => n.NodeGroup == group.Name))
            {
                var preview = await drainer.PreviewAsync(node.Name, options, ct).ConfigureAwait(false);
                foreach (var block in preview.BlockingBudgets)
                {
                    var key = block.Namespace + "/" + block.Budget;
                    var hard = allowedNow.TryGetValue(key, out var allowed) && allowed <= 0;
                    if (!blocking.TryGetValue(key, out var entry)) blocking[key] = entry = (hard, new List<string>(), block.Message);
                    entry.Pods.Add($"{block.Namespace}/{block.Pod} on {node.Name}");
                }
                several.AddRange(preview.Failed.Where(p => p.Disposition == DrainPodDisposition.Failed).Select(p => $"{p} on {node.Name}"));
            }
            var subject = "nodegroup/" + group.Name;
            foreach (var (key, entry) in blocking.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var budget = budgets.Items.First(b => b.Metadata.NamespaceProperty + "/" + b.Metadata.Name == key);
                var health = $"needs {budget.Status?.DesiredHealthy} healthy of {budget.Status?.ExpectedPods}, has {budget.Status?.CurrentHealthy}, allows {budget.Status?.DisruptionsAllowed ?? 0} disruption(s)";
                result.Add(entry.Hard
                    ? Verdict("DisruptionBudget", EksReadinessResult.Fail, "pdb/" + key, cluster, target,
                        $"Budget {key} ({health}) allows no eviction, so replacing node group {group.Name} would stop at: {string.Join(", ", entry.Pods)}; EKS fails the update with PodEvictionFailure after its eviction timeout.",
                        $"Scale the workload up or relax the budget (minAvailable/maxUnavailable) before upgrading; or accept the pods' disruption with Update-EksNodeGroup -ForceEvictPastDisruptionBudget (Invoke-EksUpgrade -ForceEvictPastDisruptionBudget).")
                    : Verdict("DisruptionBudget", EksReadinessResult.Warn, "pdb/" + key, cluster, target,
                        $"Budget {key} ({health}) lets one pod go at a time: replacing node group {group.Name} waits for replacements before evicting {string.Join(", ", entry.Pods)}.",
                        "Nothing to do unless the wait is too long: spreading the pods over more nodes shortens it."));
            }
            if (several.Count > 0)
                result.Add(Verdict("DisruptionBudget", EksReadinessResult.Fail, subject, cluster, target,
                    $"Pods under more than one disruption budget cannot be evicted at all: {string.Join("; ", several)}.",
                    "Leave each pod under one PodDisruptionBudget before upgrading."));
            if (blocking.Count == 0 && several.Count == 0)
                result.Add(Verdict("DisruptionBudget", EksReadinessResult.Pass, subject, cluster, target,
                    $"No disruption budget would block replacing the {facts.Nodes.Count(n => n.NodeGroup == group.Name)} node(s) of node group {group.Name}."));
        }
        return result;
    }

    /// <summary>
    /// A node group's updateConfig against its room: maxUnavailable (or maxUnavailablePercentage of the desired size) nodes are
    /// drained at a time; 0 would never drain, and more than the group's spare capacity (nodes not needed for the pods'
    /// requests) leaves pods Pending until the new nodes are ready.
    /// </summary>
    internal IEnumerable<EksReadinessCheck> UpdateConfigChecks(string cluster, EksVersion target, IReadOnlyList<GroupFacts> groups, ClusterFacts facts)
    {
        foreach (var group in groups)
        {
            var subject = "nodegroup/" + group.Name;
            var nodes = facts.Nodes.Where(n => n.NodeGroup == group.Name).ToList();
            int? unavailable = group.MaxUnavailable ?? (group.MaxUnavailablePercentage is { } pct ? Math.Max(pct == 0 ? 0 : 1, group.DesiredSize * pct / 100) : null);
            var setting = group.MaxUnavailable is { } n ? $"maxUnavailable {n}" : group.MaxUnavailablePercentage is { } p ? $"maxUnavailablePercentage {p}% ({unavailable} of {group.DesiredSize})" : "maxUnavailable not set (EKS's default: 1)";
            unavailable ??= 1;
            if (unavailable <= 0)
            {
                yield return Verdict("NodeGroupUpdateConfig", EksReadinessResult.Fail, subject, cluster, target,
                    $"Node group {group.Name}: {setting}: no node could ever be drained, so its update cannot proceed.",
                    $"Set updateConfig maxUnavailable to at least 1 (aws eks update-nodegroup-config --nodegroup-name {group.Name} --update-config maxUnavailable=1).");
                continue;
            }
            var spare = SpareNodes(nodes, facts.Pods);
            if (nodes.Count > 0 && unavailable > spare)
                yield return Verdict("NodeGroupUpdateConfig", EksReadinessResult.Warn, subject, cluster, target,
                    $"Node group {group.Name}: {setting}, but its pods' requests leave room for {spare} of its {nodes.Count} node(s) to be out at once: pods wait Pending until the new nodes are ready.",
                    spare > 0 ? $"Lower maxUnavailable to {spare} for the upgrade, or add a node first."
                              : "Add a node first, or accept that its pods wait Pending from the moment their node is drained until they fit on a new one.");
            else
                yield return Verdict("NodeGroupUpdateConfig", EksReadinessResult.Pass, subject, cluster, target,
                    $"Node group {group.Name}: {setting}; {nodes.Count} node(s) of which {spare} could be out without leaving pods unplaced.");
        }
    }

    /// <summary>How many of the nodes could be gone while the rest still hold every pod's CPU and memory requests (DaemonSet pods excluded: they go with their node).</summary>
    internal static int SpareNodes(IReadOnlyList<KubeNode> nodes, IReadOnlyList<V1Pod> pods)
    {
        if (nodes.Count == 0) return 0;
        var names = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        double cpu = 0, memory = 0;
        foreach (var pod in pods.Where(p => p.Spec?.NodeName is { } node && names.Contains(node) && p.Status?.Phase is not ("Succeeded" or "Failed")))
        {
            if (pod.Metadata.OwnerReferences?.Any(r => r.Controller == true && r.Kind == "DaemonSet") == true) continue;
            foreach (var c in pod.Spec.Containers ?? new List<V1Container>())
            {
                if (c.Resources?.Requests?.TryGetValue("cpu", out var q) == true) cpu += Kube.Millicores(q);
                if (c.Resources?.Requests?.TryGetValue("memory", out var m) == true) memory += Kube.MiB(m);
            }
        }
        // Fill the biggest nodes first: the fewest nodes that hold the requests.
        var needed = 0;
        double haveCpu = 0, haveMemory = 0;
        foreach (var node in nodes.OrderByDescending(n => n.AllocatableCpuMillicores).ThenByDescending(n => n.AllocatableMemoryMiB))
        {
            if (haveCpu >= cpu && haveMemory >= memory) break;
            haveCpu += node.AllocatableCpuMillicores;
            haveMemory += node.AllocatableMemoryMiB;
            needed++;
        }
        if (haveCpu < cpu || haveMemory < memory) return 0;
        return nodes.Count - needed;
    }
}
