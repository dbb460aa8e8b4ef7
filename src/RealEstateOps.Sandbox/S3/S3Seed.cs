using System.Text;

namespace RealEstateOps.Sandbox.S3;

/// <summary>
/// The platform's buckets as the runbooks describe them: real-estate-ai-assets (us-east-1, versioned,
/// replicated to real-estate-ai-assets-dr in us-west-2; property documents and images with several
/// versions, some deleted), real-estate-ai-backups (us-east-1), real-estate-ai-assets-dr (us-west-2).
/// </summary>
public static class S3Seed
{
    public const string PrimaryRegion = "us-east-1";
    public const string DrRegion = "us-west-2";
    public const string AssetsBucket = "real-estate-ai-assets";
    public const string BackupsBucket = "real-estate-ai-backups";
    public const string DrBucket = "real-estate-ai-assets-dr";
    public const int Properties = 20;

    /// <summary>Documents deleted in the last day (current version is a delete marker, 6 hours old).</summary>
    public static readonly string[] RecentlyDeleted =
    {
        "properties/prop-0003/documents/inspection-report.pdf",
        "properties/prop-0007/documents/inspection-report.pdf",
        "properties/prop-0011/documents/listing-agreement.pdf",
    };

    /// <summary>A document deleted ten days ago.</summary>
    public const string LongDeleted = "properties/prop-0015/documents/listing-agreement.pdf";

    public static IEnumerable<string> AssetKeys() =>
        Enumerable.Range(1, Properties).SelectMany(i => new[]
        {
            $"properties/prop-{i:0000}/documents/listing-agreement.pdf",
            $"properties/prop-{i:0000}/documents/inspection-report.pdf",
            $"properties/prop-{i:0000}/images/front.jpg",
            $"properties/prop-{i:0000}/images/kitchen.jpg",
        });

    public static void Seed(S3Store store, DateTimeOffset now)
    {
        var created = now.AddDays(-400);
        var assets = store.Create(AssetsBucket, PrimaryRegion, created);
        var dr = store.Create(DrBucket, DrRegion, created);
        var backups = store.Create(BackupsBucket, PrimaryRegion, created);
        assets.Versioning = dr.Versioning = backups.Versioning = "Enabled";

        var random = new Random(20261128);
        foreach (var key in AssetKeys())
        {
            var isDocument = key.Contains("/documents/", StringComparison.Ordinal);
            var count = isDocument ? 3 : 2;
            S3ObjectVersion? latest = null;
            for (var n = 1; n <= count; n++)
            {
                var when = now.AddDays(-(count - n + 1) * 10).AddMinutes(-random.Next(0, 600));
                latest = Version(store, key, when, Content(key, n, random), isDocument ? "application/pdf" : "image/jpeg");
                S3Store.AddLocked(assets, latest);
            }
            var deletedAt = RecentlyDeleted.Contains(key) ? now.AddHours(-6) : key == LongDeleted ? now.AddDays(-10).AddHours(1) : (DateTimeOffset?)null;
            if (deletedAt is { } at)
                S3Store.AddLocked(assets, new S3ObjectVersion { Key = key, VersionId = store.NewVersionId(), IsDeleteMarker = true, LastModified = at });
            // The replica holds what replication copied: every current object with its version id (delete markers are not replicated).
            S3Store.AddLocked(dr, new S3ObjectVersion
            {
                Key = key, VersionId = latest!.VersionId, LastModified = latest.LastModified, Data = latest.Data, ETag = latest.ETag, ContentType = latest.ContentType,
                ChecksumAlgorithm = latest.ChecksumAlgorithm, ChecksumValue = latest.ChecksumValue,
            });
        }

        for (var d = 1; d <= 3; d++)
        {
            var day = now.AddDays(-d);
            var key = $"database/{day:yyyy-MM-dd}/real_estate_ai.dump";
            S3Store.AddLocked(backups, Version(store, key, day.AddHours(2), Encoding.UTF8.GetBytes($"PGDMP sandbox backup of {day:yyyy-MM-dd}\n" + new string('x', 2048)), "application/octet-stream"));
        }

        assets.ReplicationXml =
            $"<ReplicationConfiguration><Role>arn:aws:iam::123456789012:role/real-estate-ai-s3-replication</Role><Rule><ID>assets-to-dr</ID><Priority>1</Priority><Status>Enabled</Status>" +
            $"<Filter><Prefix></Prefix></Filter><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::{DrBucket}</Bucket><StorageClass>STANDARD</StorageClass></Destination></Rule></ReplicationConfiguration>";
        const string lifecycle =
            "<LifecycleConfiguration><Rule><ID>archive-noncurrent</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>" +
            "<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition>" +
            "<NoncurrentVersionExpiration><NoncurrentDays>365</NoncurrentDays></NoncurrentVersionExpiration></Rule></LifecycleConfiguration>";
        assets.LifecycleXml = lifecycle;
        dr.LifecycleXml = lifecycle;
        backups.LifecycleXml =
            "<LifecycleConfiguration><Rule><ID>backups-to-glacier</ID><Filter><Prefix>database/</Prefix></Filter><Status>Enabled</Status>" +
            "<Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>365</Days></Expiration></Rule></LifecycleConfiguration>";
        const string block = "<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>" +
            "<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>";
        assets.PublicAccessBlockXml = dr.PublicAccessBlockXml = backups.PublicAccessBlockXml = block;
        assets.EncryptionXml =
            "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>" +
            "<KMSMasterKeyID>arn:aws:kms:us-east-1:123456789012:alias/real-estate-ai-s3</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>";
    }

    private static S3ObjectVersion Version(S3Store store, string key, DateTimeOffset when, byte[] data, string contentType) => new()
    {
        Key = key, VersionId = store.NewVersionId(), LastModified = when, Data = data, ETag = S3Checksums.Md5Hex(data), ContentType = contentType,
        ChecksumAlgorithm = "CRC64NVME", ChecksumValue = S3Checksums.Compute("CRC64NVME", data),
    };

    private static byte[] Content(string key, int version, Random random)
    {
        var header = key.EndsWith(".pdf", StringComparison.Ordinal) ? "%PDF-1.7\n" : "\xFF\xD8\xFF\xE0JFIF\n";
        var text = Encoding.Latin1.GetBytes($"{header}{key} version {version}\n");
        var data = new byte[text.Length + random.Next(512, 4096)];
        text.CopyTo(data, 0);
        random.NextBytes(data.AsSpan(text.Length));
        return data;
    }
}
