namespace RealEstateOps.Engine.Eks;

/// <summary>
/// Where a cluster stands, read from EKS itself (never from a local file): the control plane, the managed node groups,
/// the installed add-ons and, for a target minor, each add-on's compatible and default versions; and the updates still
/// running. Shared by the pre-flight and the upgrade so that both read the cluster the same way.
/// </summary>
internal sealed class EksUpgradeState
{
    private readonly EksOperations _ops;

    private EksUpgradeState(EksOperations ops, EksCluster cluster, EksVersion controlPlane, IReadOnlyList<EksNodeGroup> groups, IReadOnlyList<EksAddon> addons)
    {
        _ops = ops;
        Cluster = cluster;
        ControlPlane = controlPlane;
        NodeGroups = groups;
        Addons = addons;
    }

    public EksCluster Cluster { get; }
    public EksVersion ControlPlane { get; }
    public IReadOnlyList<EksNodeGroup> NodeGroups { get; }
    public IReadOnlyList<EksAddon> Addons { get; }

    public static async Task<EksUpgradeState> ReadAsync(EksOperations ops, string clusterName, CancellationToken ct)
    {
        var cluster = await ops.GetClusterAsync(clusterName, ct).ConfigureAwait(false);
        var controlPlane = EksVersion.Parse(cluster.Version, "the control plane's version");
        var groups = (await ops.GetAllNodeGroupsAsync(clusterName, ct).ConfigureAwait(false)).OrderBy(g => g.NodeGroupName, StringComparer.Ordinal).ToList();
        var addons = new List<EksAddon>();
        await foreach (var a in ops.GetAddonsAsync(clusterName, Array.Empty<string>(), null, ct).ConfigureAwait(false)) addons.Add(a);
        return new EksUpgradeState(ops, cluster, controlPlane, groups, addons.OrderBy(a => a.AddonName, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The target when none is given: the control plane's own minor while an upgrade to it is unfinished (a managed node
    /// group still trails it), so that running again finishes that upgrade instead of starting the next; else the next minor.
    /// </summary>
    public (EksVersion Target, string Why) DefaultTarget()
    {
        var behind = NodeGroups.Where(g => EksVersion.TryParse(g.Version, out var v) && v < ControlPlane).Select(g => $"{g.NodeGroupName} ({g.Version})").ToList();
        return behind.Count > 0
            ? (ControlPlane, $"the control plane is at {ControlPlane} and node group(s) {string.Join(", ", behind)} still trail it: the upgrade to {ControlPlane} is finished first")
            : (ControlPlane.Next, $"the next minor after the control plane's {ControlPlane}");
    }

    /// <summary>Each installed add-on's versions for <paramref name="target"/> (DescribeAddonVersions), by add-on name.</summary>
    public async Task<Dictionary<string, EksAddonVersion>> AddonTargetsAsync(EksVersion target, CancellationToken ct)
    {
        var result = new Dictionary<string, EksAddonVersion>(StringComparer.Ordinal);
        if (Addons.Count == 0) return result;
        var query = new EksAddonVersionQuery { ClusterName = Cluster.Name, KubernetesVersion = target.ToString(), AddonNames = Addons.Select(a => a.AddonName).ToList() };
        await foreach (var v in _ops.GetAddonVersionsAsync(query, ct).ConfigureAwait(false)) result[v.AddonName] = v;
        return result;
    }

    /// <summary>The update still running for the cluster itself, one node group or one add-on (ListUpdates, then DescribeUpdate of each until one is InProgress); null when none is.</summary>
    public async Task<EksUpdate?> RunningUpdateAsync(string? nodegroup, string? addon, CancellationToken ct)
    {
        await foreach (var u in _ops.GetUpdatesAsync(new EksUpdateQuery { ClusterName = Cluster.Name, NodeGroupName = nodegroup, AddonName = addon }, ct).ConfigureAwait(false))
            if (u.Status == EksUpdateStatus.InProgress) return u;
        return null;
    }
}
