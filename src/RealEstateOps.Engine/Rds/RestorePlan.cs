namespace RealEstateOps.Engine.Rds;

/// <summary>A checked restore: the request to send (with what was copied from the source instance) and the snapshot it restores.</summary>
public sealed record RestorePlan(RestoreDbInstanceRequest Request, DbSnapshot Snapshot);
