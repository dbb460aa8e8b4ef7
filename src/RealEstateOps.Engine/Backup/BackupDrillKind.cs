namespace RealEstateOps.Engine.Backup;

/// <summary>What a restore drill restores: an RDS snapshot (into a scratch instance) or an export (into a scratch database).</summary>
public enum BackupDrillKind { Snapshot, Export }
