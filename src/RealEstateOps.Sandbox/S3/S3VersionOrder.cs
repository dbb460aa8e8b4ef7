namespace RealEstateOps.Sandbox.S3;

/// <summary>How ListObjectVersions orders the entries of a page (PUT /_sandbox/s3/version-order).</summary>
public enum S3VersionOrder
{
    /// <summary>As S3 does: keys ascending, each key's versions and delete markers together, newest first.</summary>
    Interleaved,
    /// <summary>
    /// As some S3-compatible servers and emulators do: every &lt;Version&gt; of the page first, then every &lt;DeleteMarker&gt;
    /// (each group in S3's order). The page holds the same entries and the paging markers are the same; only the document order differs.
    /// </summary>
    VersionsFirst,
}
