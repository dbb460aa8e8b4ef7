namespace RealEstateOps.Engine.Backup;

/// <summary>
/// The verdict on one check of a restore drill: it held (Pass), it did not (Fail), it could not run here and why (Skipped: e.g.
/// amcheck needs a superuser), or there was nothing to compare against (Info: a snapshot records no row counts).
/// </summary>
public enum BackupDrillVerdict { Pass, Fail, Skipped, Info }
