namespace RealEstateOps.Engine.Rds;

/// <summary>
/// A checked point-in-time restore: the request to send (with what was copied from the source instance), the source instance
/// with its restorable window, and the UTC time restored to (null: the latest restorable time).
/// </summary>
public sealed record PointInTimeRestorePlan(PointInTimeRestoreRequest Request, DbInstance Source, DateTimeOffset? RestoreTime);
