namespace RealEstateOps.Engine.S3;

/// <summary>How a sync decides that an object must be copied: size and last-modified (like aws s3 sync), or stored checksums.</summary>
public enum S3SyncCompare { SizeAndTime, Checksum }
