using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>Reads a bucket's versioning, replication, lifecycle, public access block and default encryption, and judges them.</summary>
public sealed class S3ProtectionChecker
{
    private readonly S3Client _client;

    public S3ProtectionChecker(S3Client client) => _client = client;

    /// <summary>
    /// Checks one bucket. A configuration that cannot be read (AccessDenied, ...) fails its point as Unreadable
    /// and is reported as an OpsItemFailed event; the other points are still checked.
    /// </summary>
    public async Task<S3BucketProtection> CheckAsync(string bucket, IProgress<OpsEvent>? events = null, CancellationToken ct = default)
    {
        S3Names.CheckBucket(bucket);
        var region = await _client.RegionOfAsync(bucket, null, ct).ConfigureAwait(false);
        var s3 = _client.ForRegion(region);
        var checks = new List<S3ProtectionCheck>();

        // Versioning: must be Enabled (Suspended keeps old versions but protects no new writes).
        var versioning = await Read(() => s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, ct), S3ProtectionPoint.Versioning, null, checks, bucket, events, ct).ConfigureAwait(false);
        var status = versioning?.VersioningConfig?.Status?.Value;
        var versioningOn = status == "Enabled";
        if (versioning is not null)
            checks.Add(new S3ProtectionCheck { Name = S3ProtectionPoint.Versioning, Verdict = Judge(versioningOn), Detail = versioningOn ? "Enabled" : status is null ? "never enabled" : status });

        var replication = await Read(() => s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = bucket }, ct), S3ProtectionPoint.Replication, "ReplicationConfigurationNotFoundError", checks, bucket, events, ct).ConfigureAwait(false);
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
                    var destinationRegion = await _client.RegionOfAsync(destination, null, ct).ConfigureAwait(false);
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
                Name = S3ProtectionPoint.Replication, Verdict = Judge(replicating),
                Detail = described.Count > 0 ? "to " + string.Join(", ", described) : rules.Count == 0 ? "not configured" : "no enabled rule",
            });
        }
        else if (!checks.Any(c => c.Name == S3ProtectionPoint.Replication)) checks.Add(new S3ProtectionCheck { Name = S3ProtectionPoint.Replication, Verdict = Judge(false), Detail = "not configured" });

        var lifecycle = await Read(() => s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, ct), S3ProtectionPoint.Lifecycle, "NoSuchLifecycleConfiguration", checks, bucket, events, ct).ConfigureAwait(false);
        var lifecycleRules = (lifecycle?.Configuration?.Rules ?? new List<LifecycleRule>()).Where(r => r.Status == LifecycleRuleStatus.Enabled).Select(r => r.Id ?? "(unnamed)").ToArray();
        if (!checks.Any(c => c.Name == S3ProtectionPoint.Lifecycle))
            checks.Add(new S3ProtectionCheck { Name = S3ProtectionPoint.Lifecycle, Verdict = Judge(lifecycleRules.Length > 0), Detail = lifecycleRules.Length > 0 ? string.Join(", ", lifecycleRules) : "no enabled rule" });

        var block = await Read(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, ct), S3ProtectionPoint.PublicAccessBlock, "NoSuchPublicAccessBlockConfiguration", checks, bucket, events, ct).ConfigureAwait(false);
        var pab = block?.PublicAccessBlockConfiguration;
        var blocked = pab is not null && pab.BlockPublicAcls == true && pab.IgnorePublicAcls == true && pab.BlockPublicPolicy == true && pab.RestrictPublicBuckets == true;
        if (!checks.Any(c => c.Name == S3ProtectionPoint.PublicAccessBlock))
            checks.Add(new S3ProtectionCheck
            {
                Name = S3ProtectionPoint.PublicAccessBlock, Verdict = Judge(blocked),
                Detail = pab is null ? "not configured" : blocked ? "all four settings on" :
                    $"BlockPublicAcls={pab.BlockPublicAcls == true} IgnorePublicAcls={pab.IgnorePublicAcls == true} BlockPublicPolicy={pab.BlockPublicPolicy == true} RestrictPublicBuckets={pab.RestrictPublicBuckets == true}",
            });

        var encryption = await Read(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, ct), S3ProtectionPoint.Encryption, "ServerSideEncryptionConfigurationNotFoundError", checks, bucket, events, ct).ConfigureAwait(false);
        var algorithm = encryption?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.Select(r => r.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value).FirstOrDefault(a => a is not null);
        if (!checks.Any(c => c.Name == S3ProtectionPoint.Encryption))
            checks.Add(new S3ProtectionCheck { Name = S3ProtectionPoint.Encryption, Verdict = Judge(algorithm is not null), Detail = algorithm ?? "no default encryption" });

        return new S3BucketProtection
        {
            Bucket = bucket, Region = region, Versioning = status, VersioningEnabled = versioningOn, ReplicationConfigured = replicating, ReplicationDestinations = destinations,
            LifecycleConfigured = lifecycleRules.Length > 0, LifecycleRules = lifecycleRules, PublicAccessBlocked = blocked, EncryptionEnabled = algorithm is not null,
            EncryptionAlgorithm = algorithm, Checks = checks.ToArray(),
        };
    }

    private static S3ProtectionVerdict Judge(bool passed) => passed ? S3ProtectionVerdict.Pass : S3ProtectionVerdict.Fail;

    /// <summary>Reads one configuration: null when it is not configured; a failed check (and an error) when it cannot be read.</summary>
    private static async Task<T?> Read<T>(Func<Task<T>> call, S3ProtectionPoint name, string? notConfiguredCode, List<S3ProtectionCheck> checks, string bucket,
        IProgress<OpsEvent>? events, CancellationToken ct) where T : class
    {
        try
        {
            return await S3Client.Call(call, bucket, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == notConfiguredCode)
        {
            return null;
        }
        catch (OpsException ex) when (ex.ErrorId is not ("S3Unreachable" or "S3Timeout"))
        {
            events.ItemFailed(ex);
            checks.Add(new S3ProtectionCheck { Name = name, Verdict = S3ProtectionVerdict.Unreadable, Detail = $"could not be read ({ex.ErrorId})" });
            return null;
        }
    }
}
