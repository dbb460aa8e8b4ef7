namespace RealEstateOps.Engine.Eks;

/// <summary>One page of a paged EKS list: the items and the token for the next page (null at the end).</summary>
public sealed record EksPage<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>How an add-on update treats fields the cluster's own copy changed (UpdateAddon's resolveConflicts).</summary>
public enum EksResolveConflicts
{
    /// <summary>EKS's own values replace the changed ones (OVERWRITE).</summary>
    Overwrite,
    /// <summary>The update fails on a conflict (NONE).</summary>
    None,
    /// <summary>The cluster's values are kept (PRESERVE).</summary>
    Preserve,
}

/// <summary>
/// UpdateNodegroupVersion's parameters. <see cref="ClientRequestToken"/> is made once per request object: every attempt of
/// the call (retries included) carries the same token, so EKS starts one update however often the call is repeated; a caller
/// resuming a logical update may set its own.
/// </summary>
public sealed class EksNodeGroupVersionUpdate
{
    public required string ClusterName { get; init; }
    public required string NodeGroupName { get; init; }
    /// <summary>The Kubernetes minor ("1.33"); null: the control plane's (EKS's default).</summary>
    public string? KubernetesVersion { get; init; }
    /// <summary>An AMI release version; null: the latest for the version.</summary>
    public string? ReleaseVersion { get; init; }
    public string? LaunchTemplateName { get; init; }
    public string? LaunchTemplateId { get; init; }
    public string? LaunchTemplateVersion { get; init; }
    /// <summary>EKS's <c>force</c>: evict pods even when a PodDisruptionBudget refuses (the update then does not fail with PodEvictionFailure).</summary>
    public bool ForceEvictPastDisruptionBudget { get; init; }
    public string ClientRequestToken { get; init; } = Guid.NewGuid().ToString();
}

/// <summary>UpdateClusterVersion's parameters; the token as in <see cref="EksNodeGroupVersionUpdate"/>.</summary>
public sealed class EksClusterVersionUpdate
{
    public required string ClusterName { get; init; }
    /// <summary>The target minor, one above the current one.</summary>
    public required string KubernetesVersion { get; init; }
    public string ClientRequestToken { get; init; } = Guid.NewGuid().ToString();
}

/// <summary>UpdateAddon's parameters; the token as in <see cref="EksNodeGroupVersionUpdate"/>.</summary>
public sealed class EksAddonUpdate
{
    public required string ClusterName { get; init; }
    public required string AddonName { get; init; }
    /// <summary>The version to install; null: EKS keeps the current one (see <see cref="EksOperations.ResolveAddonVersionAsync"/> for the default of a minor).</summary>
    public string? AddonVersion { get; init; }
    public EksResolveConflicts? ResolveConflicts { get; init; }
    public string ClientRequestToken { get; init; } = Guid.NewGuid().ToString();
}

/// <summary>What Get-EksNodeGroup asks for.</summary>
public sealed class EksNodeGroupQuery
{
    public required string ClusterName { get; init; }
    /// <summary>Node group names, wildcards allowed; empty means all.</summary>
    public IReadOnlyList<string> NodeGroupNames { get; init; } = Array.Empty<string>();
    /// <summary>Read each group's nodes from the cluster (needs the Kubernetes client the operations were given).</summary>
    public bool IncludeNodes { get; init; } = true;
    /// <summary>Names per ListNodegroups page (1 to 100).</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>What Get-EksUpdate asks for: the updates of a cluster, of one node group, or of one add-on; or some by id.</summary>
public sealed class EksUpdateQuery
{
    public required string ClusterName { get; init; }
    public string? NodeGroupName { get; init; }
    public string? AddonName { get; init; }
    /// <summary>Update ids to describe; empty: every update ListUpdates gives, newest first as EKS lists them.</summary>
    public IReadOnlyList<string> UpdateIds { get; init; } = Array.Empty<string>();
    /// <summary>Ids per ListUpdates page (1 to 100).</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>What Get-EksAddonVersion asks for.</summary>
public sealed class EksAddonVersionQuery
{
    public required string ClusterName { get; init; }
    /// <summary>The Kubernetes minor the versions must be compatible with ("1.33").</summary>
    public required string KubernetesVersion { get; init; }
    /// <summary>Add-on names; empty: the add-ons installed on the cluster.</summary>
    public IReadOnlyList<string> AddonNames { get; init; } = Array.Empty<string>();
    /// <summary>The whole catalogue for the minor, installed or not (ignored when <see cref="AddonNames"/> is given).</summary>
    public bool IncludeNotInstalled { get; init; }
}

/// <summary>ListInsights' filter: categories (UPGRADE_READINESS), Kubernetes minors, statuses (PASSING, WARNING, ERROR, UNKNOWN).</summary>
public sealed class EksInsightFilter
{
    public IReadOnlyList<string> Categories { get; init; } = new[] { "UPGRADE_READINESS" };
    public IReadOnlyList<string> KubernetesVersions { get; init; } = Array.Empty<string>();
    public IReadOnlyList<EksInsightStatus> Statuses { get; init; } = Array.Empty<EksInsightStatus>();
}
