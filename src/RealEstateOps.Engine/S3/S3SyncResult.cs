namespace RealEstateOps.Engine.S3;

/// <summary>What a sync did.</summary>
public sealed class S3SyncResult
{
    public string Source { get; init; } = "";
    public string Destination { get; init; } = "";
    public S3SyncCompare Compare { get; init; }
    public long Copied { get; internal set; }
    public long Skipped { get; internal set; }
    public long Deleted { get; internal set; }
    public long Failed { get; internal set; }
    /// <summary>Bytes copied.</summary>
    public long Bytes { get; internal set; }
    public TimeSpan Duration { get; internal set; }
}
