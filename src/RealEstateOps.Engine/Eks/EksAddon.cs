namespace RealEstateOps.Engine.Eks;

/// <summary>An add-on installed on a cluster (DescribeAddon). ClusterName and AddonName bind by property name into Update-EksAddon and Get-EksUpdate.</summary>
public sealed class EksAddon
{
    public string ClusterName { get; init; } = "";
    public string AddonName { get; init; } = "";
    public string AddonVersion { get; init; } = "";
    /// <summary>EKS's status: CREATING, ACTIVE, UPDATING, DEGRADED, UPDATE_FAILED, ...</summary>
    public string Status { get; init; } = "";
    public IReadOnlyList<EksHealthIssue> HealthIssues { get; init; } = Array.Empty<EksHealthIssue>();
    public string? ServiceAccountRoleArn { get; init; }
    public string? Owner { get; init; }
    public string? Publisher { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
    public string? Arn { get; init; }

    /// <summary>"Healthy", or the issues' codes.</summary>
    public string Health => HealthIssues.Count == 0 ? "Healthy" : string.Join(",", HealthIssues.Select(i => i.Code).Distinct());

    public override string ToString() => AddonName;
}
