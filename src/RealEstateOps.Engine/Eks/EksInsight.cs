namespace RealEstateOps.Engine.Eks;

/// <summary>
/// An EKS upgrade insight (ListInsights, DescribeInsight; category UPGRADE_READINESS): a check EKS runs for a target
/// Kubernetes minor (deprecated APIs in use, kubelet skew, add-on compatibility, ...), with its status and, once
/// described, its recommendation and the resources it concerns.
/// </summary>
public sealed class EksInsight
{
    public string ClusterName { get; init; } = "";
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Category { get; init; } = "";
    /// <summary>The Kubernetes minor the insight is about, e.g. "1.33".</summary>
    public string? KubernetesVersion { get; init; }
    public EksInsightStatus Status { get; init; }
    public string? Reason { get; init; }
    public string? Description { get; init; }
    /// <summary>What to do (DescribeInsight only; null from ListInsights).</summary>
    public string? Recommendation { get; init; }
    public DateTimeOffset? LastRefreshTime { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    /// <summary>The resources concerned: Kubernetes resource URIs or ARNs (DescribeInsight only).</summary>
    public IReadOnlyList<string> Resources { get; init; } = Array.Empty<string>();
    public IReadOnlyList<EksDeprecation> Deprecations { get; init; } = Array.Empty<EksDeprecation>();
    public IReadOnlyDictionary<string, string> AdditionalInfo { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Whether this came from DescribeInsight (recommendation, resources and deprecations filled in).</summary>
    public bool IsDescribed { get; init; }

    /// <summary>ERROR or WARNING: something to fix before (ERROR) or soon after (WARNING) the upgrade.</summary>
    public bool IsFailing => Status is EksInsightStatus.Error or EksInsightStatus.Warning;

    public override string ToString() => $"{Name} ({Status})";
}
