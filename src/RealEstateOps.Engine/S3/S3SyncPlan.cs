using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// What a sync will do, from both listings, before anything changes: how many objects the source and the
/// destination have, which the source has that must be copied (or compared by checksum), and which
/// destination objects -Delete would delete.
/// </summary>
public sealed class S3SyncPlan
{
    internal S3SyncPlan(S3SyncRequest request, IReadOnlyList<S3BucketSyncer.Item> items, IReadOnlyList<string> toDelete, long destinationCount, TimeSpan listing,
        S3DestinationSetup setup = S3DestinationSetup.None, string? destinationRegion = null, S3BucketSettings? settings = null)
    {
        Request = request;
        Items = items;
        ToDelete = toDelete;
        DestinationCount = destinationCount;
        ListingDuration = listing;
        DestinationSetup = setup;
        DestinationRegion = destinationRegion;
        SourceSettings = settings;
    }

    public S3SyncRequest Request { get; }
    /// <summary>What CreateDestination does to the destination bucket before the copies (None without CreateDestination).</summary>
    public S3DestinationSetup DestinationSetup { get; }
    /// <summary>The region the destination bucket is created in, or lives in (with a setup); null otherwise.</summary>
    public string? DestinationRegion { get; }
    /// <summary>The source's settings that the destination is given (with a setup); null otherwise.</summary>
    public S3BucketSettings? SourceSettings { get; }
    /// <summary>Set once the destination bucket was created or configured: only then may the copies run.</summary>
    internal bool DestinationReady { get; set; }

    /// <summary>The bucket step, as ShouldProcess asks it and the journal records it; null when there is none.</summary>
    public string? DescribeSetup() => DestinationSetup switch
    {
        S3DestinationSetup.Create => $"Create bucket '{Request.Destination.Bucket}' in {DestinationRegion} like s3://{Request.Source.Bucket}: {SourceSettings}",
        S3DestinationSetup.Configure => $"Give the existing empty bucket '{Request.Destination.Bucket}' ({DestinationRegion}) the settings of s3://{Request.Source.Bucket}: {SourceSettings}",
        _ => null,
    };
    internal IReadOnlyList<S3BucketSyncer.Item> Items { get; }
    internal TimeSpan ListingDuration { get; }
    public long SourceCount => Items.Count;
    public long DestinationCount { get; }
    /// <summary>Source objects the destination lacks, or has with another size (or older, for SizeAndTime).</summary>
    public long ToCopy => Items.LongCount(i => i.Decided);
    /// <summary>Same-size objects whose stored checksums decide (Compare Checksum).</summary>
    public long ToCompare => Items.LongCount(i => !i.Decided && i.Request.Compare == S3SyncCompare.Checksum && i.There is not null);
    /// <summary>Destination keys (relative to its prefix) that the source does not have: deleted with -Delete.</summary>
    public IReadOnlyList<string> ToDelete { get; }
    public long DeleteCount => Request.Delete ? ToDelete.Count : 0;

    /// <summary>The action, with counts, that ShouldProcess asks about and the journal records.</summary>
    public string Describe()
    {
        var r = Request;
        var copy = r.Compare == S3SyncCompare.Checksum
            ? $"copy {N(ToCopy)} objects missing or of another size from {r.Source} and compare {N(ToCompare)} same-size objects by checksum"
            : $"copy {N(ToCopy)} objects missing or older than in {r.Source}";
        var text = DeleteCount > 0
            ? $"Delete {N(DeleteCount)} objects under {r.Destination} that are not in the source (of {N(DestinationCount)} there), and {copy}"
            : char.ToUpperInvariant(copy[0]) + copy[1..];
        return text + $" ({N(SourceCount)} in the source)";
    }

    internal static string N(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Refuses, before anything changes, a deletion whose source is empty (SyncSourceEmpty: a wrong or empty
    /// source prefix would empty the destination) or that would delete more than MaxDeletePercent of the
    /// destination (SyncDeleteLimitExceeded), unless the request says AllowMassDelete.
    /// </summary>
    public void CheckDeletes()
    {
        var r = Request;
        if (DeleteCount == 0 || r.AllowMassDelete) return;
        if (SourceCount == 0)
            throw new OpsException("SyncSourceEmpty", OpsErrorCategory.InvalidOperation,
                $"The source {r.Source} has no objects, so -Delete would delete all {N(DeleteCount)} objects under {r.Destination}. Nothing was copied or deleted. " +
                "Check the source (bucket, prefix, region); if emptying the destination is what you want, add -AllowMassDelete.", r.Source.ToString())
            { RecommendedAction = "Check the source location; to delete every destination object on purpose, run it again with -AllowMassDelete." };
        if (DeleteCount * 100 > (long)r.MaxDeletePercent * DestinationCount)
            throw new OpsException("SyncDeleteLimitExceeded", OpsErrorCategory.LimitsExceeded,
                $"-Delete would delete {N(DeleteCount)} of the {N(DestinationCount)} objects under {r.Destination} " +
                $"({DeleteCount * 100.0 / DestinationCount:0.#}%), more than -MaxDeletePercent {r.MaxDeletePercent}% allows. Nothing was copied or deleted. " +
                "Check the source and destination; to delete that many on purpose, raise -MaxDeletePercent or add -AllowMassDelete.", r.Destination.ToString())
            { RecommendedAction = "Check the locations; to delete that share on purpose, raise -MaxDeletePercent or add -AllowMassDelete." };
    }
}
