namespace RealEstateOps.Engine.Rds;

/// <summary>
/// An RDS DB instance, as Get-DbInstance and Restore-Database emit it. Address and Port bind by
/// property name into Test-DbConnection and Set-DbConnectionSecret.
/// </summary>
public sealed class DbInstance
{
    public string DbInstanceId { get; init; } = "";
    /// <summary>creating, backing-up, available, modifying, stopped, failed, ...</summary>
    public string Status { get; init; } = "";
    public string? Engine { get; init; }
    public string? EngineVersion { get; init; }
    public string? InstanceClass { get; init; }
    /// <summary>The endpoint's host name (null while the instance is being created).</summary>
    public string? Address { get; init; }
    public int? Port { get; init; }
    /// <summary>The database created on the instance (RDS's DBName).</summary>
    public string? DbName { get; init; }
    public string? MasterUsername { get; init; }
    public int AllocatedStorage { get; init; }
    public string? StorageType { get; init; }
    public bool MultiAZ { get; init; }
    public bool PubliclyAccessible { get; init; }
    public bool DeletionProtection { get; init; }
    public bool CopyTagsToSnapshot { get; init; }
    public string? SubnetGroup { get; init; }
    public string? VpcId { get; init; }
    public string[] VpcSecurityGroupIds { get; init; } = Array.Empty<string>();
    public string? ParameterGroup { get; init; }
    /// <summary>The parameter group's apply status on this instance: in-sync, applying, pending-reboot (a static change waits for Restart-DbInstance).</summary>
    public string? ParameterApplyStatus { get; init; }
    /// <summary>The instance class a ModifyDBInstance not yet applied will give it (PendingModifiedValues), else null.</summary>
    public string? PendingInstanceClass { get; init; }
    /// <summary>When RDS applies changes not made immediately (ddd:hh24:mi-ddd:hh24:mi, UTC).</summary>
    public string? PreferredMaintenanceWindow { get; init; }
    public string? AvailabilityZone { get; init; }
    public DateTimeOffset? InstanceCreateTime { get; init; }
    public string? Arn { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
    /// <summary>Days automated backups are kept (0: automated backups and point-in-time restore are off).</summary>
    public int BackupRetentionPeriod { get; init; }
    /// <summary>When the daily automated backup runs (hh24:mi-hh24:mi, UTC), e.g. 02:00-03:00.</summary>
    public string? PreferredBackupWindow { get; init; }
    public bool StorageEncrypted { get; init; }
    /// <summary>The KMS key that encrypts the storage (an ARN), when <see cref="StorageEncrypted"/>.</summary>
    public string? KmsKeyId { get; init; }
    /// <summary>The latest time a point-in-time restore can reach (DescribeDBInstances), typically a few minutes ago.</summary>
    public DateTimeOffset? LatestRestorableTime { get; init; }
    /// <summary>
    /// The earliest time a point-in-time restore can reach: the RestoreWindow's EarliestTime of the instance's automated backups
    /// (DescribeDBInstanceAutomatedBackups); null when the service did not say it.
    /// </summary>
    public DateTimeOffset? EarliestRestorableTime { get; internal set; }

    public bool IsAvailable => Status == "available";

    /// <summary>A static parameter change waits for a reboot.</summary>
    public bool PendingReboot => ParameterApplyStatus == "pending-reboot";

    public override string ToString() => DbInstanceId;
}
