using Amazon.S3.Model;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// The settings of a bucket that a sync with CreateDestination gives the destination, read from the source: versioning,
/// default encryption, public access block and lifecycle rules. Replication is not copied (its rules name the source's own
/// destination and role), nor are policies, tags or ACLs.
/// </summary>
public sealed class S3BucketSettings
{
    /// <summary>The bucket they were read from.</summary>
    public string Bucket { get; init; } = "";
    /// <summary>Enabled or Suspended; null when versioning was never enabled (nothing to set).</summary>
    public string? Versioning { get; init; }
    /// <summary>The default encryption's algorithm (AES256, aws:kms, aws:kms:dsse); null when none is configured.</summary>
    public string? EncryptionAlgorithm { get; init; }
    /// <summary>The KMS key of aws:kms default encryption, if one is named.</summary>
    public string? KmsKeyId { get; init; }
    /// <summary>Whether a public access block is configured (its four settings are copied as they are).</summary>
    public bool HasPublicAccessBlock => PublicAccessBlock is not null;
    /// <summary>The ids of the lifecycle rules (all copied, enabled or not).</summary>
    public string[] LifecycleRules { get; init; } = Array.Empty<string>();

    internal ServerSideEncryptionConfiguration? Encryption { get; init; }
    internal PublicAccessBlockConfiguration? PublicAccessBlock { get; init; }
    internal LifecycleConfiguration? Lifecycle { get; init; }

    /// <summary>What is set, as the question, the journal and the help say it.</summary>
    public override string ToString()
    {
        var parts = new List<string>
        {
            Versioning is null ? "versioning never enabled (left off)" : $"versioning {Versioning}",
            EncryptionAlgorithm is null ? "no default encryption" : $"default encryption {EncryptionAlgorithm}{(KmsKeyId is null ? "" : $" with key {KmsKeyId}")}",
        };
        if (PublicAccessBlock is { } b)
        {
            var on = new[] { b.BlockPublicAcls == true, b.IgnorePublicAcls == true, b.BlockPublicPolicy == true, b.RestrictPublicBuckets == true }.Count(x => x);
            parts.Add(on == 4 ? "public access block (all four settings on)" : $"public access block ({on} of 4 settings on)");
        }
        else parts.Add("no public access block");
        parts.Add(LifecycleRules.Length == 0 ? "no lifecycle rules" : $"lifecycle rule{(LifecycleRules.Length == 1 ? "" : "s")} {string.Join(", ", LifecycleRules)}");
        return string.Join(", ", parts);
    }
}
