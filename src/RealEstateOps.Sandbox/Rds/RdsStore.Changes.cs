using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// Parameter-group changes, reboots and class changes, on the sandbox clock: a static parameter change marks every instance of the
/// group pending-reboot; a reboot is rebooting for <see cref="RebootFor"/> of sandbox time and until the real server (for the platform's
/// instance) has been restarted with the pending values, then in-sync; a class change applied immediately is modifying for
/// <see cref="ModifyFor"/>, else it waits in PendingModifiedValues for the maintenance window.
/// </summary>
internal sealed partial class RdsStore
{
    public static readonly TimeSpan RebootFor = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan ModifyFor = TimeSpan.FromMinutes(10);

    /// <summary>Instance classes the sandbox offers for postgres (RDS refuses others with InvalidParameterCombination).</summary>
    public static readonly HashSet<string> InstanceClasses = new(StringComparer.Ordinal)
    {
        "db.t3.micro", "db.t3.small", "db.t3.medium", "db.t3.large", "db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.t4g.large",
        "db.m5.large", "db.m5.xlarge", "db.m5.2xlarge", "db.m6g.large", "db.m6g.xlarge", "db.m6g.2xlarge", "db.m6i.large", "db.m6i.xlarge", "db.m6i.2xlarge",
        "db.r5.large", "db.r5.xlarge", "db.r5.2xlarge", "db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge", "db.r6i.large", "db.r6i.xlarge", "db.r6i.2xlarge",
    };

    public RdsParameterGroups ParameterGroups { get; set; } = null!;
    public RdsServerControl Server { get; set; } = null!;

    private bool IsPlatform(RdsInstance i) => i.Database == _platform.Database && i.Id == SeedInstanceId;

    /// <summary>ModifyDBParameterGroup: sets the values; static ones mark the group's instances pending-reboot, dynamic immediate ones reach the server at once.</summary>
    public async Task<string> ModifyParametersAsync(string groupName, IReadOnlyList<(string Name, string? Value, string? Method)> changes, CancellationToken ct)
    {
        List<(RdsParameterSpec Spec, string Value)> dynamics;
        bool platformDynamic;
        lock (_gate)
        {
            var (statics, dyn) = ParameterGroups.Modify(groupName, changes);
            dynamics = dyn;
            platformDynamic = false;
            foreach (var instance in _instances.Values.Where(i => i.ParameterGroup.Equals(groupName, StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var change in statics) instance.PendingStatic[change.Spec.Name] = change;
                if (instance.PendingStatic.Count > 0) instance.ParameterApplyStatus = "pending-reboot";
                platformDynamic |= IsPlatform(instance);
            }
        }
        if (platformDynamic && dynamics.Count > 0) await Server.ApplyDynamicAsync(dynamics, ct).ConfigureAwait(false);
        return ParameterGroups.Group(groupName).Name;
    }

    public RdsInstance Reboot(string id, bool? forceFailover)
    {
        lock (_gate)
        {
            var instance = Instance(id);
            var status = instance.Status(_clock);
            if (status != "available")
                throw new RdsFault(400, "InvalidDBInstanceState", $"Instance {instance.Id} cannot be rebooted because it is not in the available state (it is {status}).");
            if (forceFailover == true && !instance.MultiAZ)
                throw new RdsFault(400, "InvalidParameterCombination", "Cannot force failover for a DB instance that is not configured for Multi-AZ.");
            var pending = instance.PendingStatic.Values.ToList();
            Task<bool> work = IsPlatform(instance)
                ? Task.Run(() => Server.RebootAsync(pending, CancellationToken.None))
                : Task.FromResult(true);
            instance.Begin("rebooting", _clock, RebootFor, work, () =>
            {
                lock (_gate)
                {
                    if (work.IsCompletedSuccessfully && work.Result)
                    {
                        foreach (var p in pending) instance.PendingStatic.Remove(p.Spec.Name);
                        if (instance.PendingStatic.Count == 0) instance.ParameterApplyStatus = "in-sync";
                    }
                }
            });
            return instance;
        }
    }

    public RdsInstance ModifyClass(string id, string instanceClass, bool applyImmediately)
    {
        lock (_gate)
        {
            var instance = Instance(id);
            if (!InstanceClasses.Contains(instanceClass))
                throw new RdsFault(400, "InvalidParameterCombination",
                    $"RDS does not support creating a DB instance with the following combination: DBInstanceClass={instanceClass}, Engine=postgres, EngineVersion=15, LicenseModel=postgresql-license.");
            var status = instance.Status(_clock);
            if (status != "available")
                throw new RdsFault(400, "InvalidDBInstanceState", $"Database instance is not in available state (it is {status}).");
            instance.PendingInstanceClass = instanceClass;
            if (applyImmediately)
                instance.Begin("modifying", _clock, ModifyFor, Task.CompletedTask, () =>
                {
                    lock (_gate)
                    {
                        if (instance.PendingInstanceClass is { } next) instance.InstanceClass = next;
                        instance.PendingInstanceClass = null;
                    }
                });
            return instance;
        }
    }
}
