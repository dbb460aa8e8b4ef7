using System.Security.Cryptography;

namespace RealEstateOps.Sandbox.S3;

/// <summary>An S3 error as the service reports it: HTTP status, error code and message.</summary>
public sealed class S3Exception : Exception
{
    public S3Exception(int status, string code, string message, string? resource = null) : base(message)
    {
        Status = status;
        Code = code;
        Resource = resource;
    }

    public int Status { get; }
    public string Code { get; }
    public string? Resource { get; }
    /// <summary>Extra elements of the error document (Region for a wrong-region request, ...).</summary>
    public Dictionary<string, string> Extra { get; } = new();
    /// <summary>Extra response headers (x-amz-delete-marker, x-amz-bucket-region, ...).</summary>
    public Dictionary<string, string> Headers { get; } = new();
}

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

/// <summary>All buckets of the emulated S3 (shared by every region; each bucket lives in one).</summary>
public sealed class S3Store
{
    private readonly Dictionary<string, S3Bucket> _buckets = new(StringComparer.Ordinal);
    private long _sequence;

    public IReadOnlyList<S3Bucket> Buckets { get { lock (_buckets) return _buckets.Values.OrderBy(b => b.Name, StringComparer.Ordinal).ToList(); } }

    public S3Bucket? Find(string name) { lock (_buckets) return _buckets.GetValueOrDefault(name); }

    public S3Bucket Create(string name, string region, DateTimeOffset now)
    {
        lock (_buckets)
        {
            if (_buckets.TryGetValue(name, out var existing))
                throw new S3Exception(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", name);
            var bucket = new S3Bucket(name, region, now);
            _buckets[name] = bucket;
            return bucket;
        }
    }

    public void Delete(string name)
    {
        lock (_buckets)
        {
            var bucket = Find(name) ?? throw new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist", name);
            lock (bucket.Gate)
                if (bucket.Keys.Count > 0) throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", name);
            _buckets.Remove(name);
        }
    }

    private const string IdChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

    /// <summary>A new opaque version id (32 characters, unique in the store).</summary>
    public string NewVersionId()
    {
        Span<byte> random = stackalloc byte[24];
        RandomNumberGenerator.Fill(random);
        var seq = Interlocked.Increment(ref _sequence);
        var chars = new char[32];
        for (var i = 0; i < 24; i++) chars[i] = IdChars[random[i] % IdChars.Length];
        for (var i = 0; i < 8; i++) chars[24 + i] = IdChars[(int)((seq >> (6 * (7 - i))) & 63)];
        return new string(chars);
    }

    public string NewUploadId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)).Replace('+', '.').Replace('/', '_').TrimEnd('=');

    /// <summary>Writes a new version (a put, a copy, a completed upload) by the bucket's versioning rules, and replicates it; returns it.</summary>
    public S3ObjectVersion Write(S3Bucket bucket, Func<string, S3ObjectVersion> make)
    {
        S3ObjectVersion version;
        lock (bucket.Gate)
        {
            var versionId = bucket.Versioning == "Enabled" ? NewVersionId() : "null";
            version = make(versionId);
            AddLocked(bucket, version);
        }
        Replicate(bucket, version);
        return version;
    }

    /// <summary>
    /// Cross-region replication as S3 does it, but at once: a new version (and a delete marker when the rule's
    /// DeleteMarkerReplication is Enabled) is copied to the destination bucket of the first enabled rule whose
    /// prefix matches, keeping its version id and last-modified time. Deletes of a specific version are not replicated.
    /// </summary>
    public void Replicate(S3Bucket source, S3ObjectVersion version)
    {
        string? xml;
        lock (source.Gate) xml = source.Versioning == "Enabled" ? source.ReplicationXml : null;
        if (xml is null) return;
        foreach (var rule in System.Xml.Linq.XElement.Parse(xml).Elements("Rule"))
        {
            if ((string?)rule.Element("Status") != "Enabled") continue;
            var filter = rule.Element("Filter");
            var prefix = (string?)filter?.Element("Prefix") ?? (string?)filter?.Element("And")?.Element("Prefix") ?? (string?)rule.Element("Prefix") ?? "";
            if (!version.Key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (version.IsDeleteMarker && (string?)rule.Element("DeleteMarkerReplication")?.Element("Status") != "Enabled") return;
            var destination = Find(((string?)rule.Element("Destination")?.Element("Bucket") ?? "").Replace("arn:aws:s3:::", "", StringComparison.Ordinal));
            if (destination is null || ReferenceEquals(destination, source)) return;
            lock (destination.Gate)
            {
                if (destination.Keys.TryGetValue(version.Key, out var entry) && entry.Versions.Any(v => v.VersionId == version.VersionId)) return;
                AddLocked(destination, new S3ObjectVersion
                {
                    Key = version.Key, VersionId = version.VersionId, IsDeleteMarker = version.IsDeleteMarker, LastModified = version.LastModified,
                    Data = version.Data, ETag = version.ETag, ContentType = version.ContentType, Metadata = version.Metadata, PartSizes = version.PartSizes,
                    StorageClass = (string?)rule.Element("Destination")?.Element("StorageClass") ?? version.StorageClass,
                    ChecksumAlgorithm = version.ChecksumAlgorithm, ChecksumValue = version.ChecksumValue,
                });
            }
            return;
        }
    }

    /// <summary>Adds a version as the newest of its key; a "null" version replaces the key's previous "null" version.</summary>
    public static void AddLocked(S3Bucket bucket, S3ObjectVersion version)
    {
        if (!bucket.Keys.TryGetValue(version.Key, out var entry))
        {
            entry = new S3KeyEntry();
            bucket.Keys[version.Key] = entry;
            bucket.KeyOrder.Add(version.Key);
        }
        if (version.VersionId == "null") entry.Versions.RemoveAll(v => v.VersionId == "null");
        entry.Versions.Insert(0, version);
    }

    public static void RemoveVersionLocked(S3Bucket bucket, string key, S3ObjectVersion version)
    {
        if (!bucket.Keys.TryGetValue(key, out var entry)) return;
        entry.Versions.Remove(version);
        if (entry.Versions.Count == 0)
        {
            bucket.Keys.Remove(key);
            bucket.KeyOrder.Remove(key);
        }
    }
}
