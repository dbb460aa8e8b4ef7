namespace RealEstateOps.Engine.Rds;

/// <summary>Several snapshots aimed at one new instance (the target of a RestoreTargetAmbiguous error).</summary>
public sealed record RestoreTargetConflict(string TargetInstanceId, IReadOnlyList<string> SnapshotIds)
{
    public override string ToString() => TargetInstanceId;
}
