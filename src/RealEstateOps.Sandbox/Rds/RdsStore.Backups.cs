using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// Automated backups on the sandbox clock: every instance with a retention period gets an automated snapshot (a real dump) when the
/// clock passes its daily backup window, and one when it first becomes available (RDS's initial backup, sharing the restore's dump);
/// automated snapshots older than the retention expire (their dump goes when no other snapshot shares it). The restorable window runs
/// from the oldest automated snapshot to five minutes ago; a point-in-time restore replays the real server's WAL to the requested time
/// (<see cref="RdsPointInTime"/>), or, on an external server, restores the newest snapshot at or before it.
/// </summary>
internal sealed partial class RdsStore
{
    public const int SeedRetentionDays = 14;
    public const string SeedKmsKeyId = "arn:aws:kms:us-east-1:000000000000:key/5a1e5a1e-0000-4000-8000-00000000db01";
    /// <summary>How far behind now the latest restorable time is (RDS uploads transaction logs every five minutes).</summary>
    public static readonly TimeSpan LatestRestorableLag = TimeSpan.FromMinutes(5);
    /// <summary>How long after the window opens the automated backup starts, and how long (sandbox time) it is creating.</summary>
    public static readonly TimeSpan BackupStartsAfter = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan AutomatedBackupFor = TimeSpan.FromMinutes(6);

    private DateTimeOffset _backupsCheckedUntil;

    public RdsPointInTime PointInTime { get; set; } = null!;
    public ILogger? Log { get; set; }

    /// <summary>The start of a backup window (hh24:mi-hh24:mi) as a time of day.</summary>
    public static TimeSpan WindowStart(string window) =>
        TimeSpan.TryParseExact(window.Split('-')[0], @"hh\:mm", CultureInfo.InvariantCulture, out var start) ? start : TimeSpan.FromHours(2);

    /// <summary>
    /// Moves automated backups forward with the clock: the windows passed since the last call each get an automated snapshot per instance
    /// (one real dump per instance per call), new instances their initial one, and expired ones go. Returns whether a window was passed.
    /// </summary>
    public bool TickBackups()
    {
        var windowPassed = false;
        lock (_gate)
        {
            var now = _clock.UtcNow;
            var from = _backupsCheckedUntil;
            if (now <= from) return false;
            _backupsCheckedUntil = now;
            foreach (var instance in _instances.Values.Where(i => i.BackupRetentionPeriod > 0))
            {
                var automated = _snapshots.Values.Where(s => s.Type == "automated" && s.InstanceId.Equals(instance.Id, StringComparison.OrdinalIgnoreCase)).ToList();
                if (instance.Status(_clock) != "available")
                {
                    Expire(instance, automated, now);
                    continue;
                }
                string? dump = null;
                Task work = Task.CompletedTask;
                void Take(DateTimeOffset at, string? shared)
                {
                    var id = $"rds:{instance.Id}-{at:yyyy-MM-dd-HH-mm}";
                    if (_snapshots.ContainsKey(id)) return;
                    if (shared is null && dump is null)
                    {
                        dump = Postgres.NewDumpPath();
                        var database = instance.Database;
                        var file = dump;
                        work = Task.Run(() => Postgres.DumpAsync(database, file, CancellationToken.None));
                    }
                    var tags = instance.CopyTagsToSnapshot ? new Dictionary<string, string>(instance.Tags, StringComparer.Ordinal) : new(StringComparer.Ordinal);
                    _snapshots[id] = NewSnapshot(id, instance, "automated", at, shared ?? dump!, shared is null ? work : Task.CompletedTask, AutomatedBackupFor, tags);
                }
                if (automated.Count == 0 && instance.InitialDump is { } initial && File.Exists(initial)) Take(now, initial);
                else if (automated.Count == 0 && instance.Id != SeedInstanceId) Take(now, null);
                var start = WindowStart(instance.PreferredBackupWindow) + BackupStartsAfter;
                for (var day = from.UtcDateTime.Date; day <= now.UtcDateTime.Date; day = day.AddDays(1))
                {
                    var at = new DateTimeOffset(day, TimeSpan.Zero) + start;
                    if (at <= from || at > now) continue;
                    Take(at, null);
                    windowPassed = true;
                }
                Expire(instance, _snapshots.Values.Where(s => s.Type == "automated" && s.InstanceId.Equals(instance.Id, StringComparison.OrdinalIgnoreCase)).ToList(), now);
            }
        }
        return windowPassed;
    }

    private void Expire(RdsInstance instance, List<RdsSnapshot> automated, DateTimeOffset now)
    {
        var cutoff = now - TimeSpan.FromDays(instance.BackupRetentionPeriod);
        foreach (var old in automated.Where(s => s.CreateTime < cutoff))
        {
            _snapshots.TryRemove(old.Id, out _);
            if (!_snapshots.Values.Any(s => s.DumpFile == old.DumpFile) && old.Work.IsCompleted)
                try { File.Delete(old.DumpFile); } catch (IOException) { }
            Log?.LogInformation("Automated snapshot {Id} expired (older than {Days} days)", old.Id, instance.BackupRetentionPeriod);
        }
    }

    /// <summary>The restorable window: from the oldest automated snapshot to five minutes ago (never before that snapshot); none without automated backups.</summary>
    public (DateTimeOffset Earliest, DateTimeOffset Latest)? RestoreWindow(RdsInstance instance)
    {
        if (instance.BackupRetentionPeriod == 0) return null;
        var oldest = _snapshots.Values.Where(s => s.Type == "automated" && s.InstanceId.Equals(instance.Id, StringComparison.OrdinalIgnoreCase))
            .Select(s => (DateTimeOffset?)s.CreateTime).Min();
        if (oldest is not { } earliest) return null;
        var latest = _clock.UtcNow - LatestRestorableLag;
        return (earliest, latest < earliest ? earliest : latest);
    }

    /// <summary>
    /// RestoreDBInstanceToPointInTime: a new instance holding the source's database as it was at <paramref name="restoreTime"/> (or the
    /// latest restorable time), with RDS's checks and errors; creating until the real work (WAL replay, dump, restore) is done.
    /// </summary>
    public RdsInstance RestoreToPointInTime(string id, string sourceId, DateTimeOffset? restoreTime, bool useLatest, RdsRestoreSettings settings)
    {
        lock (_gate)
        {
            var source = Instance(sourceId);
            if (_instances.ContainsKey(id)) throw new RdsFault(400, "DBInstanceAlreadyExists", "DB instance already exists");
            if (restoreTime is not null && useLatest)
                throw new RdsFault(400, "InvalidParameterCombination", "Cannot specify both RestoreTime and UseLatestRestorableTime.");
            if (restoreTime is null && !useLatest)
                throw new RdsFault(400, "InvalidParameterCombination", "One of RestoreTime or UseLatestRestorableTime must be specified.");
            if (source.BackupRetentionPeriod == 0 || RestoreWindow(source) is not { } window)
                throw new RdsFault(400, "PointInTimeRestoreNotEnabled",
                    $"Point-in-time restore is not enabled for DB instance {source.Id}: it has no automated backups (backup retention period {source.BackupRetentionPeriod}).");
            var at = restoreTime ?? window.Latest;
            if (at < window.Earliest || at > window.Latest)
                throw new RdsFault(400, "InvalidRestoreFault",
                    $"The restore time {RdsXml.Time(at)} is not within the restorable window of DB instance {source.Id} ({RdsXml.Time(window.Earliest)} to {RdsXml.Time(window.Latest)}).");
            var database = Postgres.FreeDatabaseName(id.ToLowerInvariant());
            var dump = Postgres.NewDumpPath();
            Task work;
            if (PointInTime.ReplaysWal)
            {
                var sourceDatabase = source.Database;
                var log = Log;
                work = Task.Run(async () =>
                {
                    try
                    {
                        await PointInTime.DumpAtAsync(sourceDatabase, at, dump, CancellationToken.None).ConfigureAwait(false);
                        await Postgres.RestoreAsync(dump, database, source.MasterUsername, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        log?.LogWarning("Point-in-time restore of {Source} to {At:u} failed: {Message}", sourceId, at, ex.Message);
                        throw;
                    }
                });
            }
            else
            {
                // An external server keeps no WAL for the sandbox: the newest snapshot of the source at or before the time stands in for it.
                var snapshot = _snapshots.Values
                    .Where(s => s.InstanceId.Equals(source.Id, StringComparison.OrdinalIgnoreCase) && s.CreateTime <= at && !s.Work.IsFaulted)
                    .OrderBy(s => s.CreateTime).LastOrDefault()
                    ?? throw new RdsFault(400, "InvalidRestoreFault", $"No backup of DB instance {source.Id} covers {RdsXml.Time(at)} in this sandbox.");
                dump = snapshot.DumpFile;
                Log?.LogWarning("Point-in-time restore of {Source} to {At:u} is approximate: this sandbox's PostgreSQL server is external (no WAL archive); " +
                                "restoring snapshot {Snapshot} of {Taken:u}, the newest at or before that time", source.Id, at, snapshot.Id, snapshot.CreateTime);
                var file = dump;
                work = Task.Run(async () =>
                {
                    await snapshot.Work.ConfigureAwait(false);
                    await Postgres.RestoreAsync(file, database, source.MasterUsername, CancellationToken.None).ConfigureAwait(false);
                });
            }
            var instance = NewRestored(id, database, source.MasterUsername, work, settings,
                new RdsRestoreSource(source.InstanceClass, source.VpcId, source.StorageType, source.AllocatedStorage, source.AvailabilityZone, source), dump);
            _instances[instance.Id] = instance;
            return instance;
        }
    }
}
