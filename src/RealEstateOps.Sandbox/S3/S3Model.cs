namespace RealEstateOps.Sandbox.S3;

/// <summary>One version of an object, or a delete marker.</summary>
public sealed class S3ObjectVersion
{
    public required string Key { get; init; }
    /// <summary>"null" for objects written while versioning was never enabled or suspended.</summary>
    public required string VersionId { get; init; }
    public bool IsDeleteMarker { get; init; }
    public DateTimeOffset LastModified { get; init; }
    public byte[] Data { get; init; } = Array.Empty<byte>();
    public string ETag { get; init; } = "";
    public string ContentType { get; init; } = "binary/octet-stream";
    public Dictionary<string, string> Metadata { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public string StorageClass { get; init; } = "STANDARD";
    /// <summary>The checksum algorithm (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) and its base64 value.</summary>
    public string? ChecksumAlgorithm { get; init; }
    public string? ChecksumValue { get; init; }
    /// <summary>Sizes of the parts for objects completed from a multipart upload (for GET ?partNumber=).</summary>
    public long[]? PartSizes { get; init; }
    public long Size => Data.LongLength;
}

/// <summary>The versions of one key, newest first.</summary>
public sealed class S3KeyEntry
{
    public List<S3ObjectVersion> Versions { get; } = new();
    public S3ObjectVersion? Current => Versions.Count > 0 ? Versions[0] : null;
}

public sealed class S3Part
{
    public required int Number { get; init; }
    public required byte[] Data { get; init; }
    public required string ETag { get; init; }
    public string? ChecksumValue { get; init; }
    public DateTimeOffset LastModified { get; init; }
}

public sealed class S3MultipartUpload
{
    public required string UploadId { get; init; }
    public required string Key { get; init; }
    public DateTimeOffset Initiated { get; init; }
    public string ContentType { get; init; } = "binary/octet-stream";
    public Dictionary<string, string> Metadata { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public string? ChecksumAlgorithm { get; init; }
    public string StorageClass { get; init; } = "STANDARD";
    public System.Collections.Concurrent.ConcurrentDictionary<int, S3Part> Parts { get; } = new();
}

/// <summary>A bucket: its region, versioning state, configuration documents, keys (sorted) and multipart uploads.</summary>
public sealed class S3Bucket
{
    public S3Bucket(string name, string region, DateTimeOffset created)
    {
        Name = name;
        Region = region;
        Created = created;
    }

    public string Name { get; }
    public string Region { get; }
    public DateTimeOffset Created { get; }
    public object Gate { get; } = new();
    /// <summary>null (never enabled), "Enabled" or "Suspended".</summary>
    public string? Versioning { get; set; }
    public string? ReplicationXml { get; set; }
    public string? LifecycleXml { get; set; }
    public string? PublicAccessBlockXml { get; set; }
    /// <summary>Default encryption; S3 applies SSE-S3 (AES256) to every bucket unless configured otherwise.</summary>
    public string? EncryptionXml { get; set; }
    public SortedSet<string> KeyOrder { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, S3KeyEntry> Keys { get; } = new(StringComparer.Ordinal);
    public System.Collections.Concurrent.ConcurrentDictionary<string, S3MultipartUpload> Uploads { get; } = new();
    public bool VersioningEverEnabled => Versioning is not null;
}
