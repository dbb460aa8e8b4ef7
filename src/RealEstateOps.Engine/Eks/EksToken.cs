namespace RealEstateOps.Engine.Eks;

/// <summary>
/// A bearer token for an EKS cluster's Kubernetes API, as <c>aws eks get-token</c> and aws-iam-authenticator make it:
/// <c>k8s-aws-v1.</c> and the base64url (no padding) of a presigned STS GetCallerIdentity URL whose signed headers include
/// <c>x-k8s-aws-id: &lt;cluster&gt;</c>. The cluster's authenticator sends that request to STS to learn who signed it.
/// It is a secret (it stands for the signer's credentials for 15 minutes): never in argv, verbose output, errors or the journal.
/// </summary>
public sealed class EksToken
{
    public const string Prefix = "k8s-aws-v1.";
    /// <summary>The header that binds the signature to one cluster.</summary>
    public const string ClusterHeader = "x-k8s-aws-id";
    /// <summary>How long EKS accepts a token after it was signed (its X-Amz-Expires is 60 seconds; EKS ignores that and allows 15 minutes).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    /// <summary>A token is replaced this long before it expires (so at 14 minutes), as aws-iam-authenticator does.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    internal EksToken(string value, string clusterName, DateTimeOffset signedAt)
    {
        Value = value;
        ClusterName = clusterName;
        SignedAt = signedAt;
    }

    /// <summary>The bearer token itself (a secret).</summary>
    public string Value { get; }
    public string ClusterName { get; }
    public DateTimeOffset SignedAt { get; }
    public DateTimeOffset ExpiresAt => SignedAt + Lifetime;
    /// <summary>When a new token should be minted in its place.</summary>
    public DateTimeOffset RefreshAt => ExpiresAt - RefreshMargin;

    /// <summary>Never the token itself.</summary>
    public override string ToString() => $"EKS token for cluster '{ClusterName}' (expires {ExpiresAt:u})";
}
