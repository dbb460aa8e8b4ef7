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

    public bool IsAvailable => Status == "available";

    /// <summary>A static parameter change waits for a reboot.</summary>
    public bool PendingReboot => ParameterApplyStatus == "pending-reboot";

    public override string ToString() => DbInstanceId;
}
