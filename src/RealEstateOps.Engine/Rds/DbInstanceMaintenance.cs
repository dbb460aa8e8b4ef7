using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The instance-level resolutions: a reboot (RebootDBInstance; it applies static parameter changes, and with -ForceFailover fails a
/// Multi-AZ instance over to its standby) and a class change (ModifyDBInstance, now or in the next maintenance window).
/// Waits are <see cref="RdsOperations.WaitInstanceAsync"/>.
/// </summary>
public sealed partial class DbInstanceMaintenance
{
    private readonly IRdsClient _rds;

    public DbInstanceMaintenance(IRdsClient rds) => _rds = rds;

    [GeneratedRegex(@"^db\.[a-z][a-z0-9-]*\.(micro|small|medium|large|[0-9]*xlarge|metal)$")]
    private static partial Regex ClassShape();

    /// <summary>Checks an instance class's shape (db.&lt;family&gt;.&lt;size&gt;, e.g. db.r6g.xlarge): DbInstanceClassInvalid otherwise.</summary>
    public static void ValidateClass(string instanceClass)
    {
        if (!ClassShape().IsMatch(instanceClass ?? ""))
            throw new OpsException("DbInstanceClassInvalid", OpsErrorCategory.InvalidArgument,
                $"'{instanceClass}' is not an instance class: it is db.<family>.<size>, e.g. db.r6g.xlarge or db.m6i.2xlarge.", instanceClass);
    }

    private async Task<DbInstance> InstanceAsync(string dbInstanceId, CancellationToken ct) =>
        (await _rds.DescribeDBInstancesAsync(dbInstanceId, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault()
        ?? throw new OpsException("DBInstanceNotFound", OpsErrorCategory.ObjectNotFound, $"DBInstance {dbInstanceId} not found.", dbInstanceId);

    /// <summary>Checks before a reboot (reads only): the instance is available, and -ForceFailover only for a Multi-AZ instance.</summary>
    public async Task<DbInstance> PrepareRebootAsync(string dbInstanceId, bool forceFailover, CancellationToken ct)
    {
        var instance = await InstanceAsync(dbInstanceId, ct).ConfigureAwait(false);
        if (!instance.IsAvailable)
            throw new OpsException("DbInstanceNotAvailable", OpsErrorCategory.InvalidOperation,
                $"{instance.DbInstanceId} is {instance.Status}, not available: it cannot be rebooted now. Wait for it with Wait-DbInstance.", instance);
        if (forceFailover && !instance.MultiAZ)
            throw new OpsException("DbFailoverNotMultiAZ", OpsErrorCategory.InvalidArgument,
                $"{instance.DbInstanceId} is not Multi-AZ: it has no standby to fail over to. Reboot it without -ForceFailover.", instance);
        return instance;
    }

    public Task<DbInstance> RebootAsync(string dbInstanceId, bool forceFailover, CancellationToken ct) =>
        _rds.RebootDBInstanceAsync(dbInstanceId, forceFailover ? true : null, ct);

    /// <summary>Checks a class change before it is made (reads only): the class's shape, and that it is a change.</summary>
    public async Task<DbInstance> PrepareClassChangeAsync(string dbInstanceId, string instanceClass, CancellationToken ct)
    {
        ValidateClass(instanceClass);
        var instance = await InstanceAsync(dbInstanceId, ct).ConfigureAwait(false);
        if (string.Equals(instance.InstanceClass, instanceClass, StringComparison.Ordinal) && instance.PendingInstanceClass is null)
            throw new OpsException("DbInstanceClassUnchanged", OpsErrorCategory.InvalidArgument,
                $"{instance.DbInstanceId} is already {instanceClass}: nothing to change.", instance);
        return instance;
    }

    public Task<DbInstance> ModifyClassAsync(string dbInstanceId, string instanceClass, bool applyImmediately, CancellationToken ct)
    {
        ValidateClass(instanceClass);
        return _rds.ModifyDBInstanceAsync(new ModifyDbInstanceRequest { DbInstanceId = dbInstanceId, InstanceClass = instanceClass, ApplyImmediately = applyImmediately }, ct);
    }
}
