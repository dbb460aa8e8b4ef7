namespace RealEstateOps.Engine.Rds;

/// <summary>
/// An RDS DB snapshot, as New-DbSnapshot and Get-DbSnapshot emit it and Restore-Database,
/// Wait-DbSnapshot and Remove-DbSnapshot take it (by -InputObject or by the SnapshotId property).
/// </summary>
public sealed class DbSnapshot
{
    public string SnapshotId { get; init; } = "";
    public string DbInstanceId { get; init; } = "";
    /// <summary>manual or automated.</summary>
    public string SnapshotType { get; init; } = "";
    /// <summary>creating, available, deleting, failed, ...</summary>
    public string Status { get; init; } = "";
    public int PercentProgress { get; init; }
    public DateTimeOffset? SnapshotCreateTime { get; init; }
    public DateTimeOffset? InstanceCreateTime { get; init; }
    public string? Engine { get; init; }
    public string? EngineVersion { get; init; }
    public int AllocatedStorage { get; init; }
    public int? Port { get; init; }
    public string? AvailabilityZone { get; init; }
    public string? VpcId { get; init; }
    public string? MasterUsername { get; init; }
    public string? StorageType { get; init; }
    public bool Encrypted { get; init; }
    public string? Arn { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    public bool IsAvailable => Status == "available";
    public bool IsAutomated => SnapshotType == "automated";

    public override string ToString() => SnapshotId;
}
