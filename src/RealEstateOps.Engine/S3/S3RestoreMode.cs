namespace RealEstateOps.Engine.S3;

/// <summary>What a restore does: undelete (remove delete markers), make a version current, or return to a point in time.</summary>
public enum S3RestoreMode { Undelete, Version, AsOf }
