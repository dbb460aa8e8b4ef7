namespace RealEstateOps.Engine.S3;

/// <summary>The result of Test-S3BucketProtection: a pass/fail per point and an overall verdict.</summary>
public sealed class S3BucketProtection
{
    public string Bucket { get; init; } = "";
    public string Region { get; init; } = "";
    public string? Versioning { get; init; }
    public bool VersioningEnabled { get; init; }
    public bool ReplicationConfigured { get; init; }
    public string[] ReplicationDestinations { get; init; } = Array.Empty<string>();
    public bool LifecycleConfigured { get; init; }
    public string[] LifecycleRules { get; init; } = Array.Empty<string>();
    public bool PublicAccessBlocked { get; init; }
    public bool EncryptionEnabled { get; init; }
    public string? EncryptionAlgorithm { get; init; }
    public S3ProtectionCheck[] Checks { get; init; } = Array.Empty<S3ProtectionCheck>();
    public bool Passed => Checks.Length > 0 && Checks.All(c => c.Passed);
    /// <summary>The names of the points that did not pass, in check order.</summary>
    public string[] FailedChecks => Checks.Where(c => !c.Passed).Select(c => c.Name.ToString()).ToArray();
}
