namespace RealEstateOps.Engine.Backup;

/// <summary>
/// A listing of the backups bucket (S3's ListObjectsV2, page by page as the consumer asks), implemented by the store's own
/// domain, so that Backup depends on no store.
/// </summary>
public interface IArtifactCatalog
{
    IAsyncEnumerable<ArtifactObject> ListAsync(string bucket, string? prefix, CancellationToken ct);
}
