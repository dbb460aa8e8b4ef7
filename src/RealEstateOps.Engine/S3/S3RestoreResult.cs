namespace RealEstateOps.Engine.S3;

/// <summary>What a restore did for one key.</summary>
public sealed class S3RestoreResult
{
    public string Bucket { get; init; } = "";
    public string Key { get; init; } = "";
    public S3RestoreStatus Status { get; init; }
    public S3RestoreAction Action { get; init; } = S3RestoreAction.None;
    /// <summary>The version that is current after the restore (for a copy: the new version).</summary>
    public string? VersionId { get; init; }
    /// <summary>The version restored from.</summary>
    public string? SourceVersionId { get; init; }
    public int DeleteMarkersRemoved { get; init; }
    public string? Reason { get; init; }
    public string? ErrorId { get; init; }
}
