using System.Collections.Concurrent;
using RealEstateOps.Sandbox.Control;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// What a restore asks for beyond the snapshot: the settings RestoreDBInstanceFromDBSnapshot takes (null: the default).
/// <see cref="Flag"/> reads a boolean setting (MultiAZ, ...) when the restore gets to it, after the snapshot's checks.
/// </summary>
internal sealed record RdsRestoreSettings(
    string? InstanceClass, string? SubnetGroup, string? ParameterGroup, List<string> SecurityGroups, string? StorageType,
    Func<string, bool?> Flag, Dictionary<string, string> Tags);

/// <summary>
/// The emulated instances and snapshots, thread-safe, on the sandbox clock, over the real PostgreSQL server: an instance
/// is a database on it (real-estate-ai-db is the platform database), a snapshot a real dump of it, a restore a new
/// database from a snapshot. Statuses move with the clock and never before the real work is done.
/// </summary>
internal sealed partial class RdsStore
{
    public const string SeedInstanceId = "real-estate-ai-db";
    public const int SeedAutomatedSnapshots = 7;

    private static readonly HashSet<string> SubnetGroups = new(StringComparer.OrdinalIgnoreCase) { "default", "real-estate-ai-db-subnets" };

    private readonly ConcurrentDictionary<string, RdsInstance> _instances = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RdsSnapshot> _snapshots = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private readonly SandboxClock _clock;
    private readonly PlatformDatabase _platform;

    public RdsStore(SandboxClock clock, PlatformDatabase platform, RdsPostgres pg)
    {
        _clock = clock;
        _platform = platform;
        Postgres = pg;
    }

    /// <summary>The real work: dumps, restores, the server's log files.</summary>
    public RdsPostgres Postgres { get; }

    public ICollection<RdsInstance> Instances => _instances.Values;
    public ICollection<RdsSnapshot> Snapshots => _snapshots.Values;

    public RdsInstance Instance(string id) =>
        _instances.TryGetValue(id, out var i) ? i : throw new RdsFault(404, "DBInstanceNotFound", $"DBInstance {id} not found.");

    public RdsSnapshot Snapshot(string id) =>
        _snapshots.TryGetValue(id, out var s) ? s : throw new RdsFault(404, "DBSnapshotNotFound", $"DBSnapshot {id} not found.");

    public bool TryGetInstance(string id, out RdsInstance instance) => _instances.TryGetValue(id, out instance!);

    /// <summary>The platform database as the seeded instance, with seven daily automated snapshots behind one real dump.</summary>
    public void Seed()
    {
        var now = _clock.UtcNow;
        var created = now.AddDays(-400);
        var instance = new RdsInstance
        {
            Id = SeedInstanceId, Database = _platform.Database, MasterUsername = _platform.User, CreateTime = created,
            InstanceClass = "db.r6g.large", SubnetGroup = "real-estate-ai-db-subnets", VpcId = "vpc-0a1b2c3d4e5f60718",
            SecurityGroups = new[] { "sg-0realestatedb0001" }, ParameterGroup = "real-estate-ai-pg15", MultiAZ = true, StorageType = "gp3",
            AllocatedStorage = 100, DeletionProtection = true, CopyTagsToSnapshot = true, AvailabilityZone = "us-east-1a",
            Tags = new(StringComparer.Ordinal) { ["app"] = "real-estate-ai", ["env"] = "production" },
            // The Backup and Recovery runbook's policy: daily 02:00-03:00 UTC, kept 14 days, encrypted storage.
            BackupRetentionPeriod = SeedRetentionDays, PreferredBackupWindow = "02:00-03:00", StorageEncrypted = true, KmsKeyId = SeedKmsKeyId,
        };
        _instances[instance.Id] = instance;
        // One real dump stands behind the seven daily automated snapshots (backup window 02:00-03:00 UTC).
        var dump = Postgres.NewDumpPath();
        var work = Task.Run(() => Postgres.DumpAsync(_platform.Database, dump, CancellationToken.None));
        // The seven most recent windows that have passed: today's too once its backup (02:04, six minutes) is done.
        var newest = now >= new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(2).AddMinutes(10) ? 0 : 1;
        for (var day = SeedAutomatedSnapshots - 1 + newest; day >= newest; day--)
        {
            var at = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-day).AddHours(2).AddMinutes(4 + day);
            var id = $"rds:{SeedInstanceId}-{at:yyyy-MM-dd-HH-mm}";
            _snapshots[id] = NewSnapshot(id, instance, "automated", at, dump, work, TimeSpan.FromMinutes(6), instance.Tags);
        }
        _backupsCheckedUntil = now;
    }

    private static RdsSnapshot NewSnapshot(string id, RdsInstance instance, string type, DateTimeOffset at, string dump, Task work, TimeSpan duration, Dictionary<string, string> tags) => new()
    {
        Id = id, InstanceId = instance.Id, Type = type, CreateTime = at, InstanceCreateTime = instance.CreateTime, DumpFile = dump, Work = work,
        Duration = duration, MasterUsername = instance.MasterUsername, Database = instance.Database, AllocatedStorage = instance.AllocatedStorage,
        StorageType = instance.StorageType, VpcId = instance.VpcId, AvailabilityZone = instance.AvailabilityZone, InstanceClass = instance.InstanceClass, Tags = tags,
        Encrypted = instance.StorageEncrypted, KmsKeyId = instance.KmsKeyId,
    };

    /// <summary>Many manual snapshots of <paramref name="instance"/> at once (for benchmarks), sharing one real dump of it.</summary>
    public async Task SeedSnapshotsAsync(RdsInstance instance, int count, string prefix, CancellationToken ct)
    {
        var dump = Postgres.NewDumpPath();
        await Postgres.DumpAsync(instance.Database, dump, ct);
        var now = _clock.UtcNow;
        for (var i = 1; i <= count; i++)
        {
            var id = $"{prefix}-{i:D6}";
            _snapshots[id] = NewSnapshot(id, instance, "manual", now.AddSeconds(-i), dump, Task.CompletedTask, TimeSpan.Zero, new(StringComparer.Ordinal));
        }
    }

    /// <summary>Many available instances at once (tests, benchmarks): prefix-NNNN, each over the platform database; returns how many were new.</summary>
    public int SeedInstances(int count, string prefix)
    {
        var created = 0;
        var at = _clock.UtcNow.AddDays(-1);
        for (var i = 1; i <= count; i++)
        {
            var instance = new RdsInstance
            {
                Id = $"{prefix}-{i:D4}".ToLowerInvariant(), Database = _platform.Database, MasterUsername = _platform.User, CreateTime = at,
                Tags = new(StringComparer.Ordinal) { ["seeded"] = "true" },
            };
            if (_instances.TryAdd(instance.Id, instance)) created++;
        }
        return created;
    }

    public RdsSnapshot CreateSnapshot(string instanceId, string id, Dictionary<string, string> tags)
    {
        lock (_gate)
        {
            var instance = Instance(instanceId);
            if (_snapshots.ContainsKey(id))
                throw new RdsFault(400, "DBSnapshotAlreadyExists", $"Cannot create the snapshot because a snapshot with the identifier {id} already exists.");
            var status = instance.Status(_clock);
            if (status != "available")
                throw new RdsFault(400, "InvalidDBInstanceState", $"Cannot create a snapshot because the database instance {instance.Id} is not currently in the available state (it is {status}).");
            if (instance.CopyTagsToSnapshot)
                foreach (var (k, v) in instance.Tags) tags.TryAdd(k, v);
            var dump = Postgres.NewDumpPath();
            var work = Task.Run(() => Postgres.DumpAsync(instance.Database, dump, CancellationToken.None));
            var snapshot = NewSnapshot(id.ToLowerInvariant(), instance, "manual", _clock.UtcNow, dump, work, TimeSpan.FromMinutes(2), tags);
            _snapshots[snapshot.Id] = snapshot;
            return snapshot;
        }
    }

    /// <summary>Deletes a manual snapshot that is not being created (and its dump, once no snapshot shares it); returns it.</summary>
    public RdsSnapshot DeleteSnapshot(string id)
    {
        lock (_gate)
        {
            var snapshot = Snapshot(id);
            if (snapshot.Type == "automated")
                throw new RdsFault(400, "InvalidDBSnapshotState", $"Cannot delete the automated snapshot {snapshot.Id}; automated snapshots are deleted when their retention period ends.");
            var (status, _) = snapshot.State(_clock);
            if (status == "creating")
                throw new RdsFault(400, "InvalidDBSnapshotState", $"Cannot delete the snapshot {snapshot.Id} because it is in the {status} state.");
            _snapshots.TryRemove(snapshot.Id, out _);
            if (!_snapshots.Values.Any(s => s.DumpFile == snapshot.DumpFile))
                try { File.Delete(snapshot.DumpFile); } catch (IOException) { }
            return snapshot;
        }
    }

    /// <summary>Checks the settings a restore asks for against what exists (subnet groups, parameter groups, ...), RDS's errors otherwise.</summary>
    public static void ValidateRestore(RdsRestoreSettings settings, string? port)
    {
        if (settings.InstanceClass is { Length: > 0 } instanceClass && !instanceClass.StartsWith("db.", StringComparison.Ordinal))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid DB Instance class: {instanceClass}");
        if (settings.SubnetGroup is { Length: > 0 } subnetGroup && !SubnetGroups.Contains(subnetGroup))
            throw new RdsFault(404, "DBSubnetGroupNotFoundFault", $"DBSubnetGroup {subnetGroup} not found.");
        if (settings.ParameterGroup is { Length: > 0 } parameterGroup && !RdsParameterGroups.SeededNames.Contains(parameterGroup, StringComparer.OrdinalIgnoreCase))
            throw new RdsFault(404, "DBParameterGroupNotFound", $"DBParameterGroup not found: {parameterGroup}");
        foreach (var g in settings.SecurityGroups)
            if (!g.StartsWith("sg-", StringComparison.Ordinal)) throw new RdsFault(400, "InvalidParameterValue", $"Invalid security group id: {g}");
        if (settings.StorageType is { Length: > 0 } storage && storage is not ("gp2" or "gp3" or "io1" or "io2" or "standard"))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid storage type: {storage}");
        if (port is { Length: > 0 } && (!int.TryParse(port, out var portNumber) || portNumber is < 1150 or > 65535))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid port {port}: must be between 1150 and 65535.");
    }

    /// <summary>A new instance restored from an available snapshot: creating until its pg_restore ends and its simulated time passes.</summary>
    public RdsInstance Restore(string id, string snapshotId, RdsRestoreSettings settings)
    {
        lock (_gate)
        {
            var snapshot = Snapshot(snapshotId);
            if (_instances.ContainsKey(id)) throw new RdsFault(400, "DBInstanceAlreadyExists", "DB instance already exists");
            var (status, _) = snapshot.State(_clock);
            if (status != "available")
                throw new RdsFault(400, "InvalidDBSnapshotState", $"Snapshot {snapshot.Id} is not in the available state (it is {status}).");
            // The instance's data is a new database on the shared server, named after it when that name is free; the
            // instance reports the database it really has (DBName), as RDS reports the one a restore brought.
            var database = Postgres.FreeDatabaseName(id.ToLowerInvariant());
            var work = Task.Run(async () =>
            {
                await snapshot.Work.ConfigureAwait(false);
                await Postgres.RestoreAsync(snapshot.DumpFile, database, snapshot.MasterUsername, CancellationToken.None).ConfigureAwait(false);
            });
            var instance = NewRestored(id, database, snapshot.MasterUsername, work, settings,
                new RdsRestoreSource(snapshot.InstanceClass, snapshot.VpcId, snapshot.StorageType, snapshot.AllocatedStorage, snapshot.AvailabilityZone,
                    _instances.TryGetValue(snapshot.InstanceId, out var original) ? original : null), snapshot.DumpFile);
            _instances[instance.Id] = instance;
            return instance;
        }
    }

    /// <summary>A restore's new instance: creating for five minutes of sandbox time and until its work is done, then backing-up for two.</summary>
    private RdsInstance NewRestored(string id, string database, string masterUsername, Task work, RdsRestoreSettings settings, RdsRestoreSource from, string initialDump) => new()
    {
        InitialDump = initialDump,
        Id = id.ToLowerInvariant(), Database = database, MasterUsername = masterUsername, CreateTime = _clock.UtcNow,
        CreatingFor = TimeSpan.FromMinutes(5), BackingUpFor = TimeSpan.FromMinutes(2), Work = work,
        InstanceClass = settings.InstanceClass is { Length: > 0 } ? settings.InstanceClass : from.InstanceClass,
        SubnetGroup = settings.SubnetGroup is { Length: > 0 } ? settings.SubnetGroup : "default",
        VpcId = from.VpcId,
        SecurityGroups = settings.SecurityGroups.Count > 0 ? settings.SecurityGroups.ToArray() : new[] { "sg-0default00000000" },
        ParameterGroup = settings.ParameterGroup is { Length: > 0 } ? settings.ParameterGroup : "default.postgres15",
        MultiAZ = settings.Flag("MultiAZ") ?? false,
        PubliclyAccessible = settings.Flag("PubliclyAccessible") ?? false,
        StorageType = settings.StorageType is { Length: > 0 } ? settings.StorageType : from.StorageType,
        AllocatedStorage = from.AllocatedStorage,
        DeletionProtection = settings.Flag("DeletionProtection") ?? false,
        CopyTagsToSnapshot = settings.Flag("CopyTagsToSnapshot") ?? false,
        AvailabilityZone = from.AvailabilityZone,
        Tags = settings.Tags,
        // A restored instance keeps the source's backup window and encryption (key included), with RDS's default retention of one day.
        BackupRetentionPeriod = 1,
        PreferredBackupWindow = from.Original?.PreferredBackupWindow ?? "02:00-03:00",
        StorageEncrypted = from.Original?.StorageEncrypted ?? false,
        KmsKeyId = from.Original?.KmsKeyId,
    };
}

/// <summary>What a restore's new instance takes from its source (a snapshot's recorded settings, or the source instance): class, network, storage.</summary>
internal sealed record RdsRestoreSource(string InstanceClass, string VpcId, string StorageType, int AllocatedStorage, string AvailabilityZone, RdsInstance? Original);
