namespace RealEstateOps.Engine.Backup;

/// <summary>An archive object as a HEAD shows it: size, ETag (to pin later reads to these bytes) and the SHA-256 recorded at export.</summary>
public sealed record ArtifactInfo(long Size, string ETag, string? Sha256);

/// <summary>
/// What exports and imports need from an object store (S3): a streaming upload that commits or aborts, a HEAD,
/// a streaming read. Implemented by the store's own domain, so that Backup depends on no store.
/// </summary>
public interface IArtifactStore
{
    /// <summary>
    /// Starts a multipart upload (refusing an existing object unless overwrite); nothing is visible until it commits.
    /// The commit records the archive's SHA-256 as the object's metadata (x-amz-meta-sha256).
    /// </summary>
    Task<IArtifactSink> OpenUploadAsync(string bucket, string key, bool overwrite, IReadOnlyDictionary<string, string>? tags, CancellationToken ct);

    /// <summary>The object's size, ETag and recorded SHA-256; a missing object is a BackupNotFound error.</summary>
    Task<ArtifactInfo> HeadAsync(string bucket, string key, CancellationToken ct);

    /// <summary>The object's bytes; with <paramref name="ifMatch"/>, only if it still has that ETag (else BackupChecksumMismatch: it changed).</summary>
    Task<Stream> OpenReadAsync(string bucket, string key, string? ifMatch, CancellationToken ct);

    /// <summary>Whether the object exists (a missing bucket is an error).</summary>
    Task<bool> ExistsAsync(string bucket, string key, CancellationToken ct);

    /// <summary>Deletes the object (its current version); a missing object is no error.</summary>
    Task DeleteAsync(string bucket, string key, CancellationToken ct);
}
