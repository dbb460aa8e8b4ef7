namespace RealEstateOps.Engine.S3;

/// <summary>An archive object as a HEAD shows it: size, ETag (to pin later reads to these bytes) and the SHA-256 recorded at export.</summary>
public sealed record S3ArtifactInfo(long Size, string ETag, string? Sha256);

/// <summary>What exports and imports need from S3: a streaming upload that commits or aborts, a HEAD, a streaming read.</summary>
public interface IS3ArtifactStore
{
    /// <summary>
    /// Starts a multipart upload (refusing an existing object unless overwrite); nothing is visible until it commits.
    /// The commit records the archive's SHA-256 as the object's metadata (x-amz-meta-sha256).
    /// </summary>
    Task<Backup.IArtifactSink> OpenUploadAsync(string bucket, string key, bool overwrite, IReadOnlyDictionary<string, string>? tags, CancellationToken ct);

    /// <summary>The object's size, ETag and recorded SHA-256; a missing object is a BackupNotFound error.</summary>
    Task<S3ArtifactInfo> HeadAsync(string bucket, string key, CancellationToken ct);

    /// <summary>The object's bytes; with <paramref name="ifMatch"/>, only if it still has that ETag (else BackupChecksumMismatch: it changed).</summary>
    Task<Stream> OpenReadAsync(string bucket, string key, string? ifMatch, CancellationToken ct);
}
