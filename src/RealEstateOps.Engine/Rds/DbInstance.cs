namespace RealEstateOps.Engine.Rds;

/// <summary>
/// An RDS DB instance, as Get-DbInstance and Restore-Database emit it. Address and Port bind by
/// property name into Test-DbConnection and Set-DbConnectionSecret.
/// </summary>
public sealed class DbInstance
{
    public string DbInstanceId { get; set; } = "";
    /// <summary>creating, backing-up, available, modifying, stopped, failed, ...</summary>
    public string Status { get; set; } = "";
    public string? Engine { get; set; }
    public string? EngineVersion { get; set; }
    public string? InstanceClass { get; set; }
    /// <summary>The endpoint's host name (null while the instance is being created).</summary>
    public string? Address { get; set; }
    public int? Port { get; set; }
    /// <summary>The database created on the instance (RDS's DBName).</summary>
    public string? DbName { get; set; }
    public string? MasterUsername { get; set; }
    public int AllocatedStorage { get; set; }
    public string? StorageType { get; set; }
    public bool MultiAZ { get; set; }
    public bool PubliclyAccessible { get; set; }
    public bool DeletionProtection { get; set; }
    public bool CopyTagsToSnapshot { get; set; }
    public string? SubnetGroup { get; set; }
    public string? VpcId { get; set; }
    public string[] VpcSecurityGroupIds { get; set; } = Array.Empty<string>();
    public string? ParameterGroup { get; set; }
    public string? AvailabilityZone { get; set; }
    public DateTimeOffset? InstanceCreateTime { get; set; }
    public string? Arn { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    public bool IsAvailable => Status == "available";

    public override string ToString() => DbInstanceId;
}
