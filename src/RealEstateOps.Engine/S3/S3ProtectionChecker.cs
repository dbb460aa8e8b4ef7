using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>One point of the runbook's "S3 Backup Strategy".</summary>
public sealed class S3ProtectionCheck
{
    public string Name { get; init; } = "";
    public bool Passed { get; init; }
    public string Detail { get; init; } = "";
}

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
    public string[] FailedChecks => Checks.Where(c => !c.Passed).Select(c => c.Name).ToArray();
}

/// <summary>Reads a bucket's versioning, replication, lifecycle, public access block and default encryption, and judges them.</summary>
public static class S3ProtectionChecker
{
    public static async Task<S3BucketProtection> CheckAsync(S3Session session, string bucket, Action<OpsException> onError, CancellationToken ct)
    {
        S3Names.CheckBucket(bucket);
        var region = await session.RegionOfAsync(bucket, null, ct).ConfigureAwait(false);
        var s3 = session.Client(region);
        var checks = new List<S3ProtectionCheck>();

        // Versioning: must be Enabled (Suspended keeps old versions but protects no new writes).
        var versioning = await Read(() => s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, ct), "Versioning", null, checks, bucket, onError).ConfigureAwait(false);
        var status = versioning?.VersioningConfig?.Status?.Value;
        var versioningOn = status == "Enabled";
        if (versioning is not null)
            checks.Add(new S3ProtectionCheck { Name = "Versioning", Passed = versioningOn, Detail = versioningOn ? "Enabled" : status is null ? "never enabled" : status });

        var replication = await Read(() => s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = bucket }, ct), "Replication", "ReplicationConfigurationNotFoundError", checks, bucket, onError).ConfigureAwait(false);
        var destinations = Array.Empty<string>();
        var replicating = false;
        if (replication is not null)
        {
            var rules = replication.Configuration?.Rules ?? new List<ReplicationRule>();
            var enabled = rules.Where(r => r.Status == ReplicationRuleStatus.Enabled).ToList();
            destinations = enabled.Select(r => (r.Destination?.BucketArn ?? "").Replace("arn:aws:s3:::", "")).Where(d => d.Length > 0).Distinct().ToArray();
            // Cross-region: at least one destination must live in another region than the bucket itself.
            var described = new List<string>();
            foreach (var destination in destinations)
            {
                string where;
                try
                {
                    var destinationRegion = await session.RegionOfAsync(destination, null, ct).ConfigureAwait(false);
                    if (destinationRegion != region) replicating = true;
                    where = destinationRegion == region ? $"{destinationRegion}, same region" : destinationRegion;
                }
                catch (OpsException ex)
                {
                    where = $"not reachable: {ex.ErrorId}";
                }
                described.Add($"{destination} ({where})");
            }
            checks.Add(new S3ProtectionCheck
            {
                Name = "Replication", Passed = replicating,
                Detail = described.Count > 0 ? "to " + string.Join(", ", described) : rules.Count == 0 ? "not configured" : "no enabled rule",
            });
        }
        else if (!checks.Any(c => c.Name == "Replication")) checks.Add(new S3ProtectionCheck { Name = "Replication", Passed = false, Detail = "not configured" });

        var lifecycle = await Read(() => s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, ct), "Lifecycle", "NoSuchLifecycleConfiguration", checks, bucket, onError).ConfigureAwait(false);
        var lifecycleRules = (lifecycle?.Configuration?.Rules ?? new List<LifecycleRule>()).Where(r => r.Status == LifecycleRuleStatus.Enabled).Select(r => r.Id ?? "(unnamed)").ToArray();
        if (!checks.Any(c => c.Name == "Lifecycle"))
            checks.Add(new S3ProtectionCheck { Name = "Lifecycle", Passed = lifecycleRules.Length > 0, Detail = lifecycleRules.Length > 0 ? string.Join(", ", lifecycleRules) : "no enabled rule" });

        var block = await Read(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, ct), "PublicAccessBlock", "NoSuchPublicAccessBlockConfiguration", checks, bucket, onError).ConfigureAwait(false);
        var pab = block?.PublicAccessBlockConfiguration;
        var blocked = pab is not null && pab.BlockPublicAcls == true && pab.IgnorePublicAcls == true && pab.BlockPublicPolicy == true && pab.RestrictPublicBuckets == true;
        if (!checks.Any(c => c.Name == "PublicAccessBlock"))
            checks.Add(new S3ProtectionCheck
            {
                Name = "PublicAccessBlock", Passed = blocked,
                Detail = pab is null ? "not configured" : blocked ? "all four settings on" :
                    $"BlockPublicAcls={pab.BlockPublicAcls == true} IgnorePublicAcls={pab.IgnorePublicAcls == true} BlockPublicPolicy={pab.BlockPublicPolicy == true} RestrictPublicBuckets={pab.RestrictPublicBuckets == true}",
            });

        var encryption = await Read(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, ct), "Encryption", "ServerSideEncryptionConfigurationNotFoundError", checks, bucket, onError).ConfigureAwait(false);
        var algorithm = encryption?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.Select(r => r.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value).FirstOrDefault(a => a is not null);
        if (!checks.Any(c => c.Name == "Encryption"))
            checks.Add(new S3ProtectionCheck { Name = "Encryption", Passed = algorithm is not null, Detail = algorithm ?? "no default encryption" });

        return new S3BucketProtection
        {
            Bucket = bucket, Region = region, Versioning = status, VersioningEnabled = versioningOn, ReplicationConfigured = replicating, ReplicationDestinations = destinations,
            LifecycleConfigured = lifecycleRules.Length > 0, LifecycleRules = lifecycleRules, PublicAccessBlocked = blocked, EncryptionEnabled = algorithm is not null,
            EncryptionAlgorithm = algorithm, Checks = checks.ToArray(),
        };
    }

    /// <summary>Reads one configuration: null when it is not configured; a failed check (and an error) when it cannot be read.</summary>
    private static async Task<T?> Read<T>(Func<Task<T>> call, string name, string? notConfiguredCode, List<S3ProtectionCheck> checks, string bucket, Action<OpsException> onError) where T : class
    {
        try
        {
            return await S3Session.Call(call, bucket).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == notConfiguredCode)
        {
            return null;
        }
        catch (OpsException ex) when (ex.ErrorId is not ("S3Unreachable" or "S3Timeout"))
        {
            onError(ex);
            checks.Add(new S3ProtectionCheck { Name = name, Passed = false, Detail = $"could not be read ({ex.ErrorId})" });
            return null;
        }
    }
}
