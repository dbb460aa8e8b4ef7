namespace RealEstateOps.Engine.Eks;

/// <summary>
/// A managed node group as DescribeNodegroup returns it, with its nodes as the cluster reports them (when they were read:
/// <see cref="NodesRead"/>). ClusterName and NodeGroupName bind by property name into Update-EksNodeGroup and Get-EksUpdate.
/// </summary>
public sealed class EksNodeGroup
{
    public string ClusterName { get; init; } = "";
    public string NodeGroupName { get; init; } = "";
    /// <summary>EKS's status: CREATING, ACTIVE, UPDATING, DELETING, CREATE_FAILED, DELETE_FAILED, DEGRADED.</summary>
    public string Status { get; init; } = "";
    /// <summary>The node group's Kubernetes minor, e.g. "1.32".</summary>
    public string Version { get; init; } = "";
    /// <summary>The AMI release, e.g. "1.32.3-20250519".</summary>
    public string? ReleaseVersion { get; init; }
    public string? CapacityType { get; init; }
    public string? AmiType { get; init; }
    public IReadOnlyList<string> InstanceTypes { get; init; } = Array.Empty<string>();
    public int? MinSize { get; init; }
    public int? MaxSize { get; init; }
    public int? DesiredSize { get; init; }
    /// <summary>updateConfig.maxUnavailable: how many nodes an update may take away at once (null when a percentage is set instead).</summary>
    public int? MaxUnavailable { get; init; }
    /// <summary>updateConfig.maxUnavailablePercentage.</summary>
    public int? MaxUnavailablePercentage { get; init; }
    /// <summary>updateConfig.updateStrategy (DEFAULT, MINIMAL), when EKS says.</summary>
    public string? UpdateStrategy { get; init; }
    public string? LaunchTemplateName { get; init; }
    public string? LaunchTemplateId { get; init; }
    public string? LaunchTemplateVersion { get; init; }
    public IReadOnlyList<EksHealthIssue> HealthIssues { get; init; } = Array.Empty<EksHealthIssue>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
    public string? Arn { get; init; }

    /// <summary>The node group's nodes from the cluster (label eks.amazonaws.com/nodegroup); empty when they were not read.</summary>
    public IReadOnlyList<EksNode> Nodes { get; internal set; } = Array.Empty<EksNode>();
    /// <summary>Whether <see cref="Nodes"/> was read from the cluster (false when not asked for or the cluster could not be reached).</summary>
    public bool NodesRead { get; internal set; }

    /// <summary>"1" or "33%": what an update may take away at once, as updateConfig says it.</summary>
    public string? MaxUnavailableText => MaxUnavailable is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : MaxUnavailablePercentage is { } p ? $"{p}%" : null;
    /// <summary>"2/2/4" = min/desired/max.</summary>
    public string Scaling => $"{MinSize?.ToString() ?? "?"}/{DesiredSize?.ToString() ?? "?"}/{MaxSize?.ToString() ?? "?"}";
    /// <summary>Nodes ready, of those read: "3/3" (empty when not read).</summary>
    public string NodesReady => NodesRead ? $"{Nodes.Count(n => n.IsReady)}/{Nodes.Count}" : "";
    /// <summary>The distinct kubelet minors of its nodes, e.g. "1.31,1.32" mid-update (empty when not read).</summary>
    public string KubeletVersions => string.Join(",", Nodes.Select(n => n.KubeletMinor).OfType<string>().Distinct().Order(StringComparer.Ordinal));

    public override string ToString() => NodeGroupName;
}
