namespace RealEstateOps.Engine.S3;

/// <summary>What a sync did.</summary>
public sealed class S3SyncResult
{
    public string Source { get; init; } = "";
    public string Destination { get; init; } = "";
    public S3SyncCompare Compare { get; init; }
    /// <summary>What was done to the destination bucket before the copies (CreateDestination): created, configured, or nothing.</summary>
    public S3DestinationSetup DestinationSetup { get; init; }
    public long Copied { get; internal set; }
    public long Skipped { get; internal set; }
    public long Deleted { get; internal set; }
    public long Failed { get; internal set; }
    /// <summary>Bytes copied.</summary>
    public long Bytes { get; internal set; }
    public TimeSpan Duration { get; internal set; }
}
