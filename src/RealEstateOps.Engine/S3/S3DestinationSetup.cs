namespace RealEstateOps.Engine.S3;

/// <summary>What a sync with CreateDestination does to the destination bucket before it copies.</summary>
public enum S3DestinationSetup
{
    /// <summary>Nothing: the bucket is used as it is.</summary>
    None,
    /// <summary>The bucket does not exist: it is created in the destination's region and given the source's settings.</summary>
    Create,
    /// <summary>The bucket exists and holds nothing (no object, version or delete marker): it is given the source's settings.</summary>
    Configure,
}
