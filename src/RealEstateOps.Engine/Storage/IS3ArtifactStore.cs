namespace RealEstateOps.Engine.Storage;

/// <summary>What exports and imports need from S3: a streaming upload that commits or aborts, a size check, a streaming read.</summary>
public interface IS3ArtifactStore
{
    /// <summary>Starts a multipart upload (refusing an existing object unless overwrite); nothing is visible until it commits.</summary>
    Task<Backup.IArtifactSink> OpenUploadAsync(string bucket, string key, bool overwrite, IReadOnlyDictionary<string, string>? tags, CancellationToken ct);

    /// <summary>The object's size; a missing object is a BackupNotFound error.</summary>
    Task<long> SizeOfAsync(string bucket, string key, CancellationToken ct);

    Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken ct);
}
