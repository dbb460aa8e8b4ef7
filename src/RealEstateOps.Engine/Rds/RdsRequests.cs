namespace RealEstateOps.Engine.Rds;

/// <summary>A DescribeDBSnapshots filter (db-instance-id, db-snapshot-id, snapshot-type, engine, dbi-resource-id).</summary>
public sealed record RdsFilter(string Name, IReadOnlyList<string> Values);

/// <summary>One page of a paged RDS list: the items and the marker for the next page (null at the end).</summary>
public sealed record RdsPage<T>(IReadOnlyList<T> Items, string? Marker);

/// <summary>
/// What every restore takes beside its source (RestoreDBInstanceFromDBSnapshot, RestoreDBInstanceToPointInTime): the new instance's
/// id and settings; null means "not given" (copied from the source instance by the pre-flight, else AWS's default).
/// </summary>
public abstract record DbRestoreSettings
{
    /// <summary>The new instance's id (the target).</summary>
    public required string DbInstanceId { get; init; }
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

/// <summary>The parameters of RestoreDBInstanceFromDBSnapshot; null means "not given" (AWS's default applies).</summary>
public sealed record RestoreDbInstanceRequest : DbRestoreSettings
{
    public required string SnapshotId { get; init; }
}

/// <summary>
/// The parameters of RestoreDBInstanceToPointInTime: the source instance, and either a UTC <see cref="RestoreTime"/> or
/// <see cref="UseLatestRestorableTime"/>; the new instance is <see cref="DbRestoreSettings.DbInstanceId"/>.
/// </summary>
public sealed record PointInTimeRestoreRequest : DbRestoreSettings
{
    public required string SourceDbInstanceId { get; init; }
    /// <summary>The time to restore to (sent as UTC); null with <see cref="UseLatestRestorableTime"/>.</summary>
    public DateTimeOffset? RestoreTime { get; init; }
    public bool UseLatestRestorableTime { get; init; }
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
    /// <summary>Fill each instance's EarliestRestorableTime from DescribeDBInstanceAutomatedBackups (one call per page of instances).</summary>
    public bool WithRestoreWindow { get; init; }
}

/// <summary>One parameter of a ModifyDBParameterGroup: its new value and when it applies (immediate or pending-reboot).</summary>
public sealed record DbParameterChange(string Name, string Value, string ApplyMethod);

/// <summary>The parameters of ModifyDBInstance the runbooks use; null means "not changed".</summary>
public sealed class ModifyDbInstanceRequest
{
    public required string DbInstanceId { get; init; }
    public string? InstanceClass { get; init; }
    public string? ParameterGroup { get; init; }
    /// <summary>True: now (the instance is modifying); false: in the next maintenance window.</summary>
    public bool? ApplyImmediately { get; init; }
}

/// <summary>What Get-DbParameter asks for.</summary>
public sealed class DbParameterQuery
{
    /// <summary>The parameter group; null means the group of <see cref="DbInstanceId"/>.</summary>
    public string? GroupName { get; init; }
    public string? DbInstanceId { get; init; }
    /// <summary>Parameter names, wildcards allowed; empty means all.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();
    /// <summary>user, system, engine-default, or null for all.</summary>
    public string? Source { get; init; }
    /// <summary>Parameters per DescribeDBParameters page (RDS allows 20 to 100).</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>What Set-DbParameter asks for: the group (or the instance whose group it is), the parameter, its value and when it applies.</summary>
public sealed class DbParameterSetRequest
{
    /// <summary>The parameter group; null means the instance's group.</summary>
    public string? GroupName { get; init; }
    /// <summary>The instance whose group is meant (when no group is given), and whose apply status the result reports.</summary>
    public string? DbInstanceId { get; init; }
    public required string Name { get; init; }
    public required string Value { get; init; }
    /// <summary>immediate or pending-reboot; null picks immediate for dynamic parameters and pending-reboot for static ones.</summary>
    public string? ApplyMethod { get; init; }
}
