namespace RealEstateOps.Engine.Rds;

/// <summary>A DescribeDBSnapshots filter (db-instance-id, db-snapshot-id, snapshot-type, engine, dbi-resource-id).</summary>
public sealed record RdsFilter(string Name, IReadOnlyList<string> Values);

/// <summary>One page of a paged RDS list: the items and the marker for the next page (null at the end).</summary>
public sealed record RdsPage<T>(IReadOnlyList<T> Items, string? Marker);

/// <summary>The parameters of RestoreDBInstanceFromDBSnapshot; null means "not given" (AWS's default applies).</summary>
public sealed class RestoreDbInstanceRequest
{
    public required string DbInstanceId { get; init; }
    public required string SnapshotId { get; init; }
    public string? InstanceClass { get; init; }
    public string? SubnetGroup { get; init; }
    public IReadOnlyList<string>? VpcSecurityGroupIds { get; init; }
    public bool? MultiAZ { get; init; }
    public bool? PubliclyAccessible { get; init; }
    public string? ParameterGroup { get; init; }
    public int? Port { get; init; }
    public string? StorageType { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public bool? DeletionProtection { get; init; }
    public bool? CopyTagsToSnapshot { get; init; }
}

/// <summary>What Get-DbSnapshot asks for.</summary>
public sealed class SnapshotQuery
{
    /// <summary>Snapshot ids, wildcards allowed; empty means all.</summary>
    public IReadOnlyList<string> SnapshotIds { get; init; } = Array.Empty<string>();
    public string? DbInstanceId { get; init; }
    /// <summary>manual, automated, or null for both.</summary>
    public string? SnapshotType { get; init; }
    /// <summary>Snapshots per DescribeDBSnapshots page (RDS allows 20 to 100).</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>What Get-DbInstance asks for.</summary>
public sealed class InstanceQuery
{
    /// <summary>Instance ids, wildcards allowed; empty means all.</summary>
    public IReadOnlyList<string> DbInstanceIds { get; init; } = Array.Empty<string>();
    /// <summary>Instances per DescribeDBInstances page (RDS allows 20 to 100).</summary>
    public int PageSize { get; init; } = 100;
}
