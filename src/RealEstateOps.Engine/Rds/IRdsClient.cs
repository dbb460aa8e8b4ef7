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
}
