namespace RealEstateOps.Engine.Rds;

/// <summary>
/// An RDS DB snapshot, as New-DbSnapshot and Get-DbSnapshot emit it and Restore-Database,
/// Wait-DbSnapshot and Remove-DbSnapshot take it (by -InputObject or by the SnapshotId property).
/// </summary>
public sealed class DbSnapshot
{
    public string SnapshotId { get; set; } = "";
    public string DbInstanceId { get; set; } = "";
    /// <summary>manual or automated.</summary>
    public string SnapshotType { get; set; } = "";
    /// <summary>creating, available, deleting, failed, ...</summary>
    public string Status { get; set; } = "";
    public int PercentProgress { get; set; }
    public DateTimeOffset? SnapshotCreateTime { get; set; }
    public DateTimeOffset? InstanceCreateTime { get; set; }
    public string? Engine { get; set; }
    public string? EngineVersion { get; set; }
    public int AllocatedStorage { get; set; }
    public int? Port { get; set; }
    public string? AvailabilityZone { get; set; }
    public string? VpcId { get; set; }
    public string? MasterUsername { get; set; }
    public string? StorageType { get; set; }
    public bool Encrypted { get; set; }
    public string? Arn { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    public bool IsAvailable => Status == "available";
    public bool IsAutomated => SnapshotType == "automated";

    public override string ToString() => SnapshotId;
}
