namespace RealEstateOps.Engine.Rds;

/// <summary>
/// An instance's automated backups as RDS describes them (DescribeDBInstanceAutomatedBackups): the restorable window they give
/// (RestoreWindow), the retention and the backup window.
/// </summary>
public sealed class DbAutomatedBackup
{
    public string DbInstanceId { get; init; } = "";
    public string? DbiResourceId { get; init; }
    /// <summary>active (the instance exists), retained (it was deleted, its backups kept), creating, pending.</summary>
    public string Status { get; init; } = "";
    public DateTimeOffset? EarliestTime { get; init; }
    public DateTimeOffset? LatestTime { get; init; }
    public int BackupRetentionPeriod { get; init; }
    public string? PreferredBackupWindow { get; init; }
    public bool Encrypted { get; init; }
    public string? KmsKeyId { get; init; }
    public string? Engine { get; init; }
    public string? EngineVersion { get; init; }
    public string? Arn { get; init; }

    public bool IsActive => Status == "active";

    public override string ToString() => DbInstanceId;
}
