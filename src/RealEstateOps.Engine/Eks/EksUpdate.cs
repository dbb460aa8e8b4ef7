namespace RealEstateOps.Engine.Eks;

/// <summary>
/// An EKS update (UpdateClusterVersion, UpdateNodegroupVersion, UpdateAddon, DescribeUpdate) with what it belongs to, so that
/// it can be found again: ClusterName, NodeGroupName, AddonName and UpdateId bind by property name into Wait-EksUpdate and Get-EksUpdate.
/// </summary>
public sealed class EksUpdate
{
    public string ClusterName { get; init; } = "";
    /// <summary>Set for a node group's update.</summary>
    public string? NodeGroupName { get; init; }
    /// <summary>Set for an add-on's update.</summary>
    public string? AddonName { get; init; }
    public string UpdateId { get; init; } = "";
    public EksUpdateStatus Status { get; init; }
    /// <summary>EKS's update type: VersionUpdate, AddonUpdate, ConfigUpdate, ...</summary>
    public string Type { get; init; } = "";
    /// <summary>The update's params (Version, ReleaseVersion, AddonVersion, ResolveConflicts, ...).</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public DateTimeOffset? CreatedAt { get; init; }
    public IReadOnlyList<EksUpdateError> Errors { get; init; } = Array.Empty<EksUpdateError>();

    public EksUpdateScope Scope => NodeGroupName is not null ? EksUpdateScope.NodeGroup : AddonName is not null ? EksUpdateScope.Addon : EksUpdateScope.Cluster;

    /// <summary>What is updated: "cluster/nodegroup", "cluster/addon", or the cluster's name.</summary>
    public string Target => NodeGroupName is { } g ? $"{ClusterName}/{g}" : AddonName is { } a ? $"{ClusterName}/{a}" : ClusterName;

    /// <summary>The version asked for (param Version, else AddonVersion, else ReleaseVersion), when the update has one.</summary>
    public string? TargetVersion =>
        Params.TryGetValue("Version", out var v) ? v : Params.TryGetValue("AddonVersion", out var a) ? a : Params.TryGetValue("ReleaseVersion", out var r) ? r : null;

    public bool IsFinished => Status is EksUpdateStatus.Successful or EksUpdateStatus.Failed or EksUpdateStatus.Cancelled;

    /// <summary>The error codes of errors[], comma-separated (empty when none).</summary>
    public string ErrorCodes => string.Join(",", Errors.Select(e => e.ErrorCode).Distinct());

    public override string ToString() => UpdateId;
}
