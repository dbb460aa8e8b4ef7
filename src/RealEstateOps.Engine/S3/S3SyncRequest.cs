using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>A sync from one location to another (server-side), with its comparison, deletion limits and parallelism.</summary>
public sealed class S3SyncRequest
{
    public required S3Location Source { get; init; }
    public required S3Location Destination { get; init; }
    public string? SourceRegion { get; init; }
    public string? DestinationRegion { get; init; }
    public S3SyncCompare Compare { get; init; } = S3SyncCompare.SizeAndTime;
    /// <summary>Delete destination objects that the source does not have.</summary>
    public bool Delete { get; init; }
    /// <summary>The largest share of the destination's objects (in percent) a sync may delete; above it the sync is refused (SyncDeleteLimitExceeded).</summary>
    public int MaxDeletePercent { get; init; } = DefaultMaxDeletePercent;
    /// <summary>Delete even when the source is empty or more than <see cref="MaxDeletePercent"/> of the destination would go.</summary>
    public bool AllowMassDelete { get; init; }
    /// <summary>
    /// Creates the destination bucket when it does not exist (in <see cref="DestinationRegion"/>, else the client's region) with the
    /// source's versioning, default encryption, public access block and lifecycle rules; an existing bucket that holds nothing is given
    /// them too; one that holds anything is refused (S3DestinationBucketNotEmpty).
    /// </summary>
    public bool CreateDestination { get; init; }
    public int ThrottleLimit { get; init; } = DefaultThrottleLimit;
    public long MultipartThreshold { get; init; } = S3Copier.DefaultMultipartThreshold;
    public long PartSize { get; init; } = S3Copier.DefaultPartSize;

    /// <summary>Well above the aws CLI's 10 concurrent requests: server-side copies cost the client almost nothing.</summary>
    public const int DefaultThrottleLimit = 32;
    public const int DefaultMaxDeletePercent = 50;

    /// <summary>Checks the request before anything is listed: the limits, and a destination that does not overlap the source.</summary>
    public void Validate()
    {
        if (ThrottleLimit < 1) throw new OpsException("S3ThrottleLimitInvalid", OpsErrorCategory.InvalidArgument, "-ThrottleLimit must be at least 1.", ThrottleLimit);
        if (MaxDeletePercent is < 0 or > 100)
            throw new OpsException("SyncMaxDeletePercentInvalid", OpsErrorCategory.InvalidArgument, "-MaxDeletePercent must be from 0 to 100.", MaxDeletePercent);
        var s = Source;
        var d = Destination;
        if (s.Bucket == d.Bucket && (d.Prefix.StartsWith(s.Prefix, StringComparison.Ordinal) || s.Prefix.StartsWith(d.Prefix, StringComparison.Ordinal)))
            throw new OpsException("S3SyncDestinationInsideSource", OpsErrorCategory.InvalidArgument,
                $"The destination {d} overlaps the source {s}: a sync would copy its own output. Choose a destination outside the source prefix.", d.ToString());
    }
}
