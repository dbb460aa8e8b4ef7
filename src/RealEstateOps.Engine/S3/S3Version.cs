namespace RealEstateOps.Engine.S3;

/// <summary>One version of an S3 object, or a delete marker (what Get-S3ObjectVersion emits and Restore-S3Object takes).</summary>
public sealed class S3Version
{
    public string Bucket { get; init; } = "";
    public string Key { get; init; } = "";
    public string VersionId { get; init; } = "";
    public bool IsLatest { get; init; }
    public bool IsDeleteMarker { get; init; }
    public DateTimeOffset LastModified { get; init; }
    public long Size { get; init; }
    public string? ETag { get; init; }
    public string? StorageClass { get; init; }

    public override string ToString() => $"s3://{Bucket}/{Key}?versionId={VersionId}";
}
