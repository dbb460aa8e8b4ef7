namespace RealEstateOps.Engine.Eks;

/// <summary>An EKS cluster as DescribeCluster returns it (the parts an operator upgrading it needs).</summary>
public sealed class EksCluster
{
    public string Name { get; init; } = "";
    /// <summary>EKS's status: CREATING, ACTIVE, UPDATING, DELETING, FAILED, PENDING.</summary>
    public string Status { get; init; } = "";
    /// <summary>The control plane's Kubernetes minor, e.g. "1.32".</summary>
    public string Version { get; init; } = "";
    /// <summary>EKS's platform version, e.g. "eks.8".</summary>
    public string? PlatformVersion { get; init; }
    /// <summary>The API server's URL.</summary>
    public string? Endpoint { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? Arn { get; init; }
    public string? RoleArn { get; init; }
    public string? VpcId { get; init; }
    /// <summary>The cluster CA certificate (base64 PEM, as in a kubeconfig's certificate-authority-data): public, not a secret.</summary>
    public string? CertificateAuthorityData { get; init; }
    public string? OidcIssuer { get; init; }
    /// <summary>STANDARD or EXTENDED support (upgradePolicy.supportType), when EKS says.</summary>
    public string? SupportType { get; init; }
    public IReadOnlyList<EksHealthIssue> HealthIssues { get; init; } = Array.Empty<EksHealthIssue>();
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public bool IsActive => Status == "ACTIVE";

    public override string ToString() => Name;
}
