namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The RDS operations the runbooks use, named after the API operations (API version 2014-10-31), so
/// that the real AWSSDK.RDS client could stand behind this interface. Failures are OpsExceptions whose
/// id is the AWS error code (DBSnapshotNotFound, ...).
/// </summary>
public interface IRdsClient
{
    Task<DbSnapshot> CreateDBSnapshotAsync(string dbInstanceId, string snapshotId, IReadOnlyDictionary<string, string>? tags, CancellationToken ct);

    Task<RdsPage<DbSnapshot>> DescribeDBSnapshotsAsync(string? dbInstanceId, string? snapshotId, string? snapshotType,
        IReadOnlyList<RdsFilter>? filters, int? maxRecords, string? marker, CancellationToken ct);

    Task<DbSnapshot> DeleteDBSnapshotAsync(string snapshotId, CancellationToken ct);

    Task<DbInstance> RestoreDBInstanceFromDBSnapshotAsync(RestoreDbInstanceRequest request, CancellationToken ct);

    Task<RdsPage<DbInstance>> DescribeDBInstancesAsync(string? dbInstanceId, int? maxRecords, string? marker, CancellationToken ct);

    Task<RdsPage<DbLogFile>> DescribeDBLogFilesAsync(string dbInstanceId, string? filenameContains, int? maxRecords, string? marker, CancellationToken ct);

    Task<DbLogPortion> DownloadDBLogFilePortionAsync(string dbInstanceId, string logFileName, string? marker, int? numberOfLines, CancellationToken ct);

    Task<RdsPage<DbParameterGroup>> DescribeDBParameterGroupsAsync(string? groupName, int? maxRecords, string? marker, CancellationToken ct);

    /// <param name="source">user, system, engine-default, or null for all.</param>
    Task<RdsPage<DbParameter>> DescribeDBParametersAsync(string groupName, string? source, int? maxRecords, string? marker, CancellationToken ct);

    /// <summary>Changes parameters of a custom group (at most 20 at a time); returns the group's name.</summary>
    Task<string> ModifyDBParameterGroupAsync(string groupName, IReadOnlyList<DbParameterChange> changes, CancellationToken ct);

    Task<DbInstance> RebootDBInstanceAsync(string dbInstanceId, bool? forceFailover, CancellationToken ct);

    Task<DbInstance> ModifyDBInstanceAsync(ModifyDbInstanceRequest request, CancellationToken ct);

    /// <summary>
    /// DeleteDBInstance: with <paramref name="finalSnapshotId"/> RDS takes a final snapshot first, else
    /// <paramref name="skipFinalSnapshot"/> must be true; automated backups go too unless told to keep them.
    /// </summary>
    Task<DbInstance> DeleteDBInstanceAsync(string dbInstanceId, bool skipFinalSnapshot, string? finalSnapshotId, bool? deleteAutomatedBackups, CancellationToken ct);

    Task<RdsPage<DbSubnetGroup>> DescribeDBSubnetGroupsAsync(string? subnetGroupName, int? maxRecords, string? marker, CancellationToken ct);

    /// <summary>Automated backups and their restorable windows; filters: db-instance-id, dbi-resource-id, status.</summary>
    Task<RdsPage<DbAutomatedBackup>> DescribeDBInstanceAutomatedBackupsAsync(string? dbInstanceId, IReadOnlyList<RdsFilter>? filters, int? maxRecords, string? marker, CancellationToken ct);

    Task<DbInstance> RestoreDBInstanceToPointInTimeAsync(PointInTimeRestoreRequest request, CancellationToken ct);
    /// <summary>DescribePendingMaintenanceActions: the pending actions of the resources the filters name (db-instance-id, db-cluster-id), flattened, one page of resources.</summary>
    Task<RdsPage<DbPendingMaintenanceAction>> DescribePendingMaintenanceActionsAsync(string? resourceIdentifier, IReadOnlyList<RdsFilter>? filters, int? maxRecords, string? marker, CancellationToken ct);

    /// <summary>ApplyPendingMaintenanceAction: opts a resource (its ARN) in to an action (immediate, next-maintenance) or undoes the opt-in (undo-opt-in); returns its pending actions after.</summary>
    Task<IReadOnlyList<DbPendingMaintenanceAction>> ApplyPendingMaintenanceActionAsync(string resourceIdentifier, string applyAction, string optInType, CancellationToken ct);
}
