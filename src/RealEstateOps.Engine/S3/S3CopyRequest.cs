namespace RealEstateOps.Engine.S3;

/// <summary>
/// One server-side copy: the source object (or one of its versions, with its size, which decides between
/// CopyObject and a multipart copy) onto a destination key, in the destination bucket's own region.
/// </summary>
public sealed record S3CopyRequest
{
    public required string SourceBucket { get; init; }
    public required string SourceKey { get; init; }
    public string? SourceVersionId { get; init; }
    public required long Size { get; init; }
    /// <summary>The source's checksum algorithm, kept on the copy (null: S3's default).</summary>
    public string? ChecksumAlgorithm { get; init; }
    public required string DestinationBucket { get; init; }
    public required string DestinationKey { get; init; }
    /// <summary>The destination bucket's region when known (else looked up once per client).</summary>
    public string? DestinationRegion { get; init; }
    /// <summary>Objects above this size are copied in parts (CopyObject's own limit is 5 GiB).</summary>
    public long MultipartThreshold { get; init; } = S3Copier.DefaultMultipartThreshold;
    public long PartSize { get; init; } = S3Copier.DefaultPartSize;
}
