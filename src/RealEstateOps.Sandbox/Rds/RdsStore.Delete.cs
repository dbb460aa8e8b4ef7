using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// DeleteDBInstance on the sandbox clock: refused for a protected instance and without SkipFinalSnapshot or a final snapshot id,
/// as RDS refuses them; otherwise the instance is deleting for <see cref="DeleteFor"/> of sandbox time (a final snapshot, when
/// asked for, is taken first), then gone. Its database is dropped when it is one of its own (a restore's); the platform database
/// and a database other instances share are never touched.
/// </summary>
internal sealed partial class RdsStore
{
    public static readonly TimeSpan DeleteFor = TimeSpan.FromMinutes(3);

    public SandboxClock Clock => _clock;

    public RdsInstance Delete(string id, bool skipFinalSnapshot, string? finalSnapshotId)
    {
        lock (_gate)
        {
            var instance = Instance(id);
            if (instance.DeletionProtection)
                throw new RdsFault(400, "InvalidParameterCombination", "Cannot delete protected DB Instance, please disable deletion protection and try again.");
            if (!skipFinalSnapshot && string.IsNullOrEmpty(finalSnapshotId))
                throw new RdsFault(400, "InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
            if (skipFinalSnapshot && !string.IsNullOrEmpty(finalSnapshotId))
                throw new RdsFault(400, "InvalidParameterCombination", "Cannot specify FinalDBSnapshotIdentifier when SkipFinalSnapshot is true.");
            var status = instance.Status(_clock);
            if (status is "deleting" or "deleted" or "creating" or "rebooting" or "modifying")
                throw new RdsFault(400, "InvalidDBInstanceState", $"Instance {instance.Id} is not in a state that can be deleted (it is {status}).");
            var final = finalSnapshotId is { Length: > 0 } ? CreateSnapshot(instance.Id, finalSnapshotId, new(StringComparer.Ordinal)) : null;
            var own = !IsPlatform(instance) && instance.Database != _platform.Database
                      && !_instances.Values.Any(other => !ReferenceEquals(other, instance) && other.Database == instance.Database);
            var database = instance.Database;
            var work = Task.Run(async () =>
            {
                if (final is not null) await final.Work.ConfigureAwait(false);
                try { await instance.Work.ConfigureAwait(false); } catch (Exception) { /* a failed restore's database goes too */ }
                if (own) await Postgres.DropDatabaseAsync(database, CancellationToken.None).ConfigureAwait(false);
            });
            instance.Begin("deleting", _clock, DeleteFor, work, () =>
            {
                lock (_gate)
                {
                    instance.Deleted = true;
                    _instances.TryRemove(new KeyValuePair<string, RdsInstance>(instance.Id, instance));
                }
            });
            return instance;
        }
    }
}
