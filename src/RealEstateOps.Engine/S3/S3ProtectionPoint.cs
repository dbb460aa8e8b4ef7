namespace RealEstateOps.Engine.S3;

/// <summary>The points of the runbook's "S3 Backup Strategy" that Test-S3BucketProtection checks, in the order it checks them.</summary>
public enum S3ProtectionPoint { Versioning, Replication, Lifecycle, PublicAccessBlock, Encryption }
