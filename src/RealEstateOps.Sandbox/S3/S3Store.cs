using System.Security.Cryptography;
using System.Text;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.S3;

/// <summary>All buckets of the emulated S3 (shared by every region; each bucket lives in one).</summary>
public sealed class S3Store
{
    private const string IdChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

    private readonly Dictionary<string, S3Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly SandboxClock _clock;
    private long _sequence;

    public S3Store(SandboxClock clock) => _clock = clock;

    /// <summary>The sandbox clock's time: when versions, uploads and parts are written.</summary>
    public DateTimeOffset Now => _clock.UtcNow;

    public IReadOnlyList<S3Bucket> Buckets { get { lock (_buckets) return _buckets.Values.OrderBy(b => b.Name, StringComparer.Ordinal).ToList(); } }

    public S3Bucket? Find(string name) { lock (_buckets) return _buckets.GetValueOrDefault(name); }

    /// <summary>The bucket, or S3's NoSuchBucket.</summary>
    public S3Bucket Require(string name) =>
        Find(name) ?? throw new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist", name);

    /// <summary>The bucket, checked to exist and to live in <paramref name="region"/> (S3's wrong-region error otherwise).</summary>
    public S3Bucket InRegion(string name, string region)
    {
        var bucket = Require(name);
        if (!string.Equals(bucket.Region, region, StringComparison.Ordinal))
        {
            var ex = new S3Exception(400, "AuthorizationHeaderMalformed",
                $"The authorization header is malformed; the region '{region}' is wrong; expecting '{bucket.Region}'", name);
            ex.Extra["Region"] = bucket.Region;
            ex.Headers["x-amz-bucket-region"] = bucket.Region;
            throw ex;
        }
        return bucket;
    }

    /// <summary>S3's bucket naming rules (3-63 characters, lowercase letters, digits, dots and hyphens, ...).</summary>
    public static bool IsValidBucketName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-') &&
        char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) && !name.Contains("..") &&
        !System.Net.IPAddress.TryParse(name, out _) && !name.StartsWith("xn--", StringComparison.Ordinal);

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

    /// <summary>
    /// Writes a new version of <paramref name="key"/> (a put, a copy, a completed upload) by the bucket's versioning rules, and
    /// replicates it; returns it. <paramref name="make"/> gets the version id and the time of the write.
    /// </summary>
    public S3ObjectVersion Write(S3Bucket bucket, string key, Func<string, DateTimeOffset, S3ObjectVersion> make)
    {
        S3ObjectVersion version;
        lock (bucket.Gate)
        {
            var versionId = bucket.Versioning == "Enabled" ? NewVersionId() : "null";
            version = make(versionId, WriteTimeLocked(bucket, key));
            AddLocked(bucket, version);
        }
        Replicate(bucket, version);
        return version;
    }

    /// <summary>
    /// The time of a new version (or delete marker) of a key: the clock's, but at least a millisecond after the key's current
    /// version as listings show it (to the millisecond), so that no two versions of a key written one after the other tie.
    /// A client that orders a key's versions by LastModified then finds the order they were written in. Call under the bucket's lock.
    /// </summary>
    private DateTimeOffset WriteTimeLocked(S3Bucket bucket, string key)
    {
        var now = Now;
        if (!bucket.Keys.TryGetValue(key, out var entry) || entry.Current is not { } top) return now;
        var after = Millisecond(top.LastModified).AddMilliseconds(1);
        return now < after ? after : now;
    }

    private static DateTimeOffset Millisecond(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, t.Offset);

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

    /// <summary>The version a request names (or the current one); S3's errors when there is none. Call under the bucket's lock.</summary>
    public static S3ObjectVersion FindVersionLocked(S3Bucket bucket, string key, string? versionId, bool allowDeleteMarker = false)
    {
        CheckVersionIdSyntax(bucket, versionId);
        bucket.Keys.TryGetValue(key, out var entry);
        if (versionId is null)
        {
            var current = entry?.Current;
            if (current is null) throw new S3Exception(404, "NoSuchKey", "The specified key does not exist.", key);
            if (current.IsDeleteMarker && !allowDeleteMarker)
            {
                var ex = new S3Exception(404, "NoSuchKey", "The specified key does not exist.", key);
                ex.Headers["x-amz-delete-marker"] = "true";
                if (bucket.VersioningEverEnabled) ex.Headers["x-amz-version-id"] = current.VersionId;
                throw ex;
            }
            return current;
        }
        return entry?.Versions.FirstOrDefault(v => v.VersionId == versionId)
            ?? throw new S3Exception(404, "NoSuchVersion", "The specified version does not exist.", key) { Extra = { ["Key"] = key, ["VersionId"] = versionId } };
    }

    public static void CheckVersionIdSyntax(S3Bucket bucket, string? versionId)
    {
        if (versionId is null || versionId == "null") return;
        if (versionId.Length != 32 || versionId.Any(c => !IdChars.Contains(c)) || !bucket.VersioningEverEnabled)
            throw new S3Exception(400, "InvalidArgument", "Invalid version id specified") { Extra = { ["ArgumentName"] = "versionId", ["ArgumentValue"] = versionId } };
    }

    /// <summary>Deletes one key or version by S3's rules; returns whether a delete marker was created or removed, and its/the version's id.</summary>
    public (bool DeleteMarker, string? VersionId) DeleteOne(S3Bucket bucket, string key, string? versionId)
    {
        S3Request.CheckKey(key);
        S3ObjectVersion marker;
        lock (bucket.Gate)
        {
            CheckVersionIdSyntax(bucket, versionId);
            if (versionId is not null)
            {
                if (!bucket.Keys.TryGetValue(key, out var entry)) return (false, versionId);
                var v = entry.Versions.FirstOrDefault(x => x.VersionId == versionId);
                if (v is null) return (false, versionId);
                RemoveVersionLocked(bucket, key, v);
                return (v.IsDeleteMarker, versionId);
            }
            switch (bucket.Versioning)
            {
                case null:
                    if (bucket.Keys.TryGetValue(key, out var plain) && plain.Current is { } cur) RemoveVersionLocked(bucket, key, cur);
                    return (false, null);
                default:
                    var id = bucket.Versioning == "Enabled" ? NewVersionId() : "null";
                    marker = new S3ObjectVersion { Key = key, VersionId = id, IsDeleteMarker = true, LastModified = WriteTimeLocked(bucket, key) };
                    AddLocked(bucket, marker);
                    break;
            }
        }
        Replicate(bucket, marker);
        return (true, marker.VersionId);
    }

    /// <summary>Bulk data for benchmarks and rehearsals: keys x versions of small objects in a (new or existing) bucket, optionally deleted.</summary>
    public S3Bucket Populate(string name, string region, string prefix, int keys, int versions, bool deleted, int size)
    {
        var bucket = Find(name) ?? Create(name, region, Now);
        var now = Now;
        lock (bucket.Gate)
        {
            bucket.Versioning ??= "Enabled";
            for (var k = 0; k < keys; k++)
            {
                var key = $"{prefix}{k:0000000}";
                for (var v = 1; v <= versions; v++)
                {
                    var data = new byte[size];
                    Encoding.ASCII.GetBytes($"{key} v{v} ").AsSpan(0, Math.Min(size, key.Length + 4)).CopyTo(data);
                    AddLocked(bucket, new S3ObjectVersion
                    {
                        Key = key, VersionId = NewVersionId(), LastModified = now.AddMinutes(v - versions - 1), Data = data, ETag = S3Checksums.Md5Hex(data),
                        ChecksumAlgorithm = "CRC64NVME", ChecksumValue = S3Checksums.Compute("CRC64NVME", data),
                    });
                }
                if (deleted)
                    AddLocked(bucket, new S3ObjectVersion { Key = key, VersionId = NewVersionId(), IsDeleteMarker = true, LastModified = now.AddSeconds(-1) });
            }
        }
        return bucket;
    }
}
