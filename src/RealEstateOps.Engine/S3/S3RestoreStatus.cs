namespace RealEstateOps.Engine.S3;

/// <summary>How a restore ended for one key.</summary>
public enum S3RestoreStatus { Restored, AlreadyCurrent, NotFound, Failed }
