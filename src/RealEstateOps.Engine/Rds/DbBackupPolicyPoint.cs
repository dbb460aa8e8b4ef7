namespace RealEstateOps.Engine.Rds;

/// <summary>The points Test-DbBackupPolicy checks, in the order it checks them.</summary>
public enum DbBackupPolicyPoint
{
    Retention, BackupWindow, TransactionLogs, CopyTagsToSnapshot, DeletionProtection, Encryption,
    NewestAutomatedSnapshot, NewestManualSnapshot, NewestExport,
}
