using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// Where a cluster stands, read from EKS itself (never from a local file): the control plane, the managed node groups,
/// the installed add-ons and, for a target minor, each add-on's compatible and default versions; and the updates still
/// running. Shared by the pre-flight and the upgrade so that both read the cluster the same way.
/// </summary>
internal sealed class EksUpgradeState
{
    private readonly IEksClient _eks;

    private EksUpgradeState(IEksClient eks, EksCluster cluster, EksVersion controlPlane, List<EksNodeGroup> groups, List<EksAddon> addons)
    {
        _eks = eks;
        Cluster = cluster;
        ControlPlane = controlPlane;
        NodeGroups = groups;
        Addons = addons;
    }

    public EksCluster Cluster { get; }
    public EksVersion ControlPlane { get; }
    public IReadOnlyList<EksNodeGroup> NodeGroups { get; }
    public IReadOnlyList<EksAddon> Addons { get; }

    /// <summary>An add-on's versions for the target: those compatible with it (highest first) and EKS's default.</summary>
    public sealed record AddonTarget(string AddonName, IReadOnlyList<string> Compatible, string? Default)
    {
        /// <summary>The version an upgrade installs: the default, else the highest compatible one.</summary>
        public string? Recommended => Default ?? Compatible.FirstOrDefault();
    }

    public static async Task<EksUpgradeState> ReadAsync(IEksClient eks, string clusterName, CancellationToken ct)
    {
        var cluster = await eks.DescribeClusterAsync(clusterName, ct).ConfigureAwait(false);
        var controlPlane = EksVersion.Parse(cluster.Version, "the control plane's version");
        var groupNames = await EksUpgradePaging.AllAsync("node groups", t => eks.ListNodegroupsAsync(clusterName, null, t, ct)).ConfigureAwait(false);
        var groups = new List<EksNodeGroup>();
        foreach (var name in groupNames.Order(StringComparer.Ordinal)) groups.Add(await eks.DescribeNodegroupAsync(clusterName, name, ct).ConfigureAwait(false));
        var addonNames = await EksUpgradePaging.AllAsync("add-ons", t => eks.ListAddonsAsync(clusterName, null, t, ct)).ConfigureAwait(false);
        var addons = new List<EksAddon>();
        foreach (var name in addonNames.Order(StringComparer.Ordinal)) addons.Add(await eks.DescribeAddonAsync(clusterName, name, ct).ConfigureAwait(false));
        return new EksUpgradeState(eks, cluster, controlPlane, groups, addons);
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
    public async Task<Dictionary<string, AddonTarget>> AddonTargetsAsync(EksVersion target, CancellationToken ct)
    {
        var result = new Dictionary<string, AddonTarget>(StringComparer.Ordinal);
        var minor = target.ToString();
        foreach (var addon in Addons)
        {
            var entries = await EksUpgradePaging.AllAsync("add-on versions", t => _eks.DescribeAddonVersionsAsync(minor, addon.AddonName, null, t, ct)).ConfigureAwait(false);
            var versions = entries.Where(e => e.AddonName == addon.AddonName).SelectMany(e => e.Versions)
                .Where(v => v.ClusterVersions.Count == 0 || v.ClusterVersions.Contains(minor, StringComparer.Ordinal)).ToList();
            var compatible = versions.Select(v => v.AddonVersion).Distinct(StringComparer.Ordinal).OrderByDescending(v => v, EksVersion.AddonVersionComparer).ToList();
            var @default = versions.FirstOrDefault(v => v.DefaultFor.Contains(minor, StringComparer.Ordinal))?.AddonVersion;
            result[addon.AddonName] = new AddonTarget(addon.AddonName, compatible, @default);
        }
        return result;
    }

    /// <summary>
    /// The update still running for the cluster itself, one node group or one add-on (ListUpdates, then DescribeUpdate of
    /// each until one is InProgress); null when none is.
    /// </summary>
    public async Task<EksUpdate?> RunningUpdateAsync(string? nodegroup, string? addon, CancellationToken ct)
    {
        var name = Cluster.Name;
        var what = nodegroup is not null ? $"updates of node group {nodegroup}" : addon is not null ? $"updates of add-on {addon}" : "updates of the cluster";
        var ids = await EksUpgradePaging.AllAsync(what, t => _eks.ListUpdatesAsync(name, nodegroup, addon, null, t, ct)).ConfigureAwait(false);
        foreach (var id in ids)
        {
            var update = await _eks.DescribeUpdateAsync(name, id, nodegroup, addon, ct).ConfigureAwait(false);
            if (update.Status == EksUpdateStatus.InProgress) return update;
        }
        return null;
    }

    /// <summary>The minor of a managed node group; EksVersionInvalid when EKS reports something else.</summary>
    public static EksVersion VersionOf(EksNodeGroup group) => EksVersion.Parse(group.Version, $"node group {group.NodeGroupName}'s version");
}
