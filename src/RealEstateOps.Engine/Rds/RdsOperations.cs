using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The backup and recovery runbook on an <see cref="IRdsClient"/>: manual snapshots with the runbook's
/// default name, listing with wildcards and paging, waits, deletes, restores with pre-flight checks and
/// the source's network settings, and log files read whole or as a tail.
/// </summary>
public sealed class RdsOperations
{
    private readonly IRdsClient _rds;

    public RdsOperations(IRdsClient rds) => _rds = rds;

    public static string DefaultSnapshotId(DateTimeOffset now) => $"manual-backup-{now.UtcDateTime:yyyyMMdd}";

    // ---------------------------------------------------------------- snapshots

    public async Task<DbSnapshot?> FindSnapshotAsync(string snapshotId, CancellationToken ct)
    {
        try
        {
            return (await _rds.DescribeDBSnapshotsAsync(null, snapshotId, null, null, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault();
        }
        catch (OpsException ex) when (ex.ErrorId == "DBSnapshotNotFound")
        {
            return null;
        }
    }

    public async Task<DbInstance?> FindInstanceAsync(string dbInstanceId, CancellationToken ct)
    {
        try
        {
            return (await _rds.DescribeDBInstancesAsync(dbInstanceId, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault();
        }
        catch (OpsException ex) when (ex.ErrorId == "DBInstanceNotFound")
        {
            return null;
        }
    }

    /// <summary>Checks a new snapshot's id is free (a taken id is an error that names -SnapshotId: never overwritten, never renamed).</summary>
    public async Task EnsureSnapshotIdFreeAsync(string snapshotId, bool wasDefault, CancellationToken ct)
    {
        if (await FindSnapshotAsync(snapshotId, ct).ConfigureAwait(false) is { } existing)
            throw new OpsException("DbSnapshotIdTaken", OpsErrorCategory.ResourceExists,
                $"A snapshot named '{snapshotId}' already exists (instance {existing.DbInstanceId}, {existing.Status}, created {existing.SnapshotCreateTime:u}). " +
                (wasDefault ? "That is today's default name; give another name with -SnapshotId, e.g. -SnapshotId " : "Give another name with -SnapshotId, e.g. -SnapshotId ") +
                $"{snapshotId}-{DateTimeOffset.UtcNow:HHmm}.", snapshotId)
            { RecommendedAction = "Choose a free name with -SnapshotId." };
    }

    public Task<DbSnapshot> CreateSnapshotAsync(string dbInstanceId, string snapshotId, IReadOnlyDictionary<string, string>? tags, CancellationToken ct) =>
        _rds.CreateDBSnapshotAsync(dbInstanceId, snapshotId, tags, ct);

    /// <summary>
    /// Streams the snapshots a query selects, page by page: the next page is asked for only when the consumer asks for the
    /// item after the last one, so a consumer that stops early stops the paging.
    /// </summary>
    public async IAsyncEnumerable<DbSnapshot> GetSnapshotsAsync(SnapshotQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var exact = query.SnapshotIds.Where(i => !Wildcard.HasWildcard(i)).ToList();
        var patterns = query.SnapshotIds.Where(Wildcard.HasWildcard).Select(Wildcard.ToRegex).ToList();
        foreach (var id in exact)
        {
            var page = await _rds.DescribeDBSnapshotsAsync(query.DbInstanceId, id, query.SnapshotType, null, null, null, ct).ConfigureAwait(false);
            foreach (var s in page.Items) yield return s;
        }
        if (exact.Count > 0 && patterns.Count == 0) yield break;

        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _rds.DescribeDBSnapshotsAsync(query.DbInstanceId, null, query.SnapshotType, null, query.PageSize, marker, ct).ConfigureAwait(false);
            foreach (var s in page.Items)
                if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(s.SnapshotId))) yield return s;
            marker = Next(seen, page.Marker, "DescribeDBSnapshots", query.DbInstanceId);
        } while (!string.IsNullOrEmpty(marker));
    }

    public async Task<DbSnapshot?> GetLatestSnapshotAsync(SnapshotQuery query, CancellationToken ct)
    {
        DbSnapshot? latest = null;
        await foreach (var s in GetSnapshotsAsync(query, ct).ConfigureAwait(false))
            if (s.IsAvailable && (latest is null || s.SnapshotCreateTime > latest.SnapshotCreateTime)) latest = s;
        return latest;
    }

    public Task<DbSnapshot> WaitSnapshotAsync(string snapshotId, TimeSpan timeout, IProgress<WaitProgress>? progress, CancellationToken ct, TimeProvider? time = null) =>
        Waiter.WaitAsync(
            async token => (await _rds.DescribeDBSnapshotsAsync(null, snapshotId, null, null, null, null, token).ConfigureAwait(false)).Items.FirstOrDefault()
                           ?? throw new OpsException("DBSnapshotNotFound", OpsErrorCategory.ObjectNotFound, $"DBSnapshot {snapshotId} not found.", snapshotId),
            s => s.Status switch
            {
                "available" => WaitCheck.Done("available"),
                "failed" or "error" or "deleted" or "incompatible-restore" => WaitCheck.Failed($"the snapshot is {s.Status}"),
                _ => WaitCheck.Pending($"{s.Status} {s.PercentProgress}%", s.PercentProgress),
            },
            new WaitOptions
            {
                Activity = $"Snapshot {snapshotId} available", Timeout = timeout, InitialInterval = TimeSpan.FromSeconds(1), MaxInterval = TimeSpan.FromSeconds(15),
                TimeoutErrorId = "DbSnapshotWaitTimeout", FailedErrorId = "DbSnapshotFailed", Target = snapshotId, Time = time ?? TimeProvider.System,
            },
            progress, ct);

    public Task<DbSnapshot> DeleteSnapshotAsync(string snapshotId, CancellationToken ct) => _rds.DeleteDBSnapshotAsync(snapshotId, ct);

    // ---------------------------------------------------------------- restore

    /// <summary>
    /// Checks the restores one command was given before any of them is made: one new instance comes from one snapshot, so
    /// several snapshots aimed at one target instance are RestoreTargetAmbiguous (fatal: nothing is restored). Its target is
    /// the <see cref="RestoreTargetConflict"/>.
    /// </summary>
    public static void EnsureOneSnapshotPerTarget(IReadOnlyList<DbRestoreSettings> requests)
    {
        var crowded = requests.GroupBy(r => r.DbInstanceId, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (crowded is null) return;
        var conflict = new RestoreTargetConflict(crowded.Key, crowded.Select(SourceOf).ToList());
        var count = conflict.SnapshotIds.Count;
        var names = string.Join(", ", conflict.SnapshotIds.Take(5)) + (count > 5 ? ", ..." : "");
        var what = crowded.All(r => r is RestoreDbInstanceRequest) ? "snapshots" : "restore sources";
        throw new OpsException("RestoreTargetAmbiguous", OpsErrorCategory.InvalidArgument,
            $"{count} {what} were given for the one target instance '{crowded.Key}' ({names}): a restore makes one new instance from one snapshot or point in time. " +
            "Nothing was restored. Pick one snapshot, e.g. Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId " + crowded.Key + ".",
            conflict, isFatal: true)
        { RecommendedAction = $"Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId {crowded.Key}, or Restore-Database -SnapshotId <one id> -TargetInstanceId {crowded.Key}." };
    }

    /// <summary>What a restore restores: the snapshot's id, or the source instance at a time (or at its latest restorable time).</summary>
    private static string SourceOf(DbRestoreSettings r) => r switch
    {
        RestoreDbInstanceRequest s => s.SnapshotId,
        PointInTimeRestoreRequest { RestoreTime: { } at } p => $"{p.SourceDbInstanceId} at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC",
        PointInTimeRestoreRequest p => $"{p.SourceDbInstanceId} at its latest restorable time",
        _ => r.DbInstanceId,
    };

    /// <summary>
    /// Checks before any change: the target id is valid and free, the snapshot exists and is available.
    /// Then fills what was not given from the source instance (class, subnet group, security groups,
    /// parameter group): without them AWS would put the new instance in the VPC's default security group.
    /// Each value copied is a Verbose note; a source instance that no longer exists is a Warning note.
    /// </summary>
    public async Task<RestorePlan> PrepareRestoreAsync(RestoreDbInstanceRequest given, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        RdsIdentifiers.ValidateInstanceId(given.DbInstanceId, "TargetInstanceId");
        RdsIdentifiers.ValidateSnapshotRef(given.SnapshotId);
        var snapshot = await FindSnapshotAsync(given.SnapshotId, ct).ConfigureAwait(false)
            ?? throw new OpsException("DBSnapshotNotFound", OpsErrorCategory.ObjectNotFound,
                $"There is no snapshot '{given.SnapshotId}'. List them with Get-DbSnapshot.", given.SnapshotId);
        if (!snapshot.IsAvailable)
            throw new OpsException("DbSnapshotNotAvailable", OpsErrorCategory.InvalidOperation,
                $"Snapshot '{snapshot.SnapshotId}' is {snapshot.Status} ({snapshot.PercentProgress}%), not available; wait for it with Wait-DbSnapshot.", snapshot);
        await EnsureTargetFreeAsync(given.DbInstanceId, ct).ConfigureAwait(false);

        var source = await FindInstanceAsync(snapshot.DbInstanceId, ct).ConfigureAwait(false);
        if (source is null)
        {
            events.Warning($"The source instance '{snapshot.DbInstanceId}' no longer exists: settings not given are AWS's defaults (the VPC's default security group).");
            return new RestorePlan(given, snapshot);
        }
        return new RestorePlan(FillFromSource(given, source, events), snapshot);
    }

    private async Task EnsureTargetFreeAsync(string targetId, CancellationToken ct)
    {
        if (await FindInstanceAsync(targetId, ct).ConfigureAwait(false) is { } taken)
            throw new OpsException("DbTargetInstanceExists", OpsErrorCategory.ResourceExists,
                $"An instance named '{targetId}' already exists ({taken.Status}); restore to a new name with -TargetInstanceId.", targetId);
    }

    /// <summary>
    /// A restore's settings with what was not given filled from the source instance (class, subnet group, security groups, parameter
    /// group): without them AWS would put the new instance in the VPC's default security group. Each value copied is a Verbose note.
    /// </summary>
    private static T FillFromSource<T>(T given, DbInstance source, IProgress<OpsEvent>? events) where T : DbRestoreSettings
    {
        void Copied(string what) => events.Verbose($"Copied from the source instance: {what} (from {source.DbInstanceId}).");
        string? Pick(string? value, string? fromSource, string what)
        {
            if (!string.IsNullOrEmpty(value) || string.IsNullOrEmpty(fromSource)) return value;
            Copied($"{what} {fromSource}");
            return fromSource;
        }
        IReadOnlyList<string>? groups = given.VpcSecurityGroupIds;
        if ((groups is null || groups.Count == 0) && source.VpcSecurityGroupIds.Length > 0)
        {
            groups = source.VpcSecurityGroupIds;
            Copied($"security groups {string.Join(", ", groups)}");
        }
        DbRestoreSettings settings = given;
        return (T)(settings with
        {
            InstanceClass = Pick(given.InstanceClass, source.InstanceClass, "instance class"),
            SubnetGroup = Pick(given.SubnetGroup, source.SubnetGroup, "subnet group"),
            VpcSecurityGroupIds = groups,
            ParameterGroup = Pick(given.ParameterGroup, source.ParameterGroup, "parameter group"),
        });
    }

    public Task<DbInstance> RestoreAsync(RestoreDbInstanceRequest request, CancellationToken ct) => _rds.RestoreDBInstanceFromDBSnapshotAsync(request, ct);

    /// <summary>
    /// Checks a point-in-time restore before any change, as <see cref="PrepareRestoreAsync"/> does a snapshot's: the ids are valid,
    /// the source exists with automated backups (DbPointInTimeRestoreNotEnabled otherwise), the time is inside its restorable window
    /// (DbRestoreTimeOutsideWindow, whose message gives the window), the target is free; then fills what was not given from the source.
    /// </summary>
    public async Task<PointInTimeRestorePlan> PreparePointInTimeRestoreAsync(PointInTimeRestoreRequest given, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        RdsIdentifiers.ValidateInstanceId(given.DbInstanceId, "TargetInstanceId");
        RdsIdentifiers.ValidateInstanceId(given.SourceDbInstanceId, "SourceDbInstanceId");
        if (given.RestoreTime is null == !given.UseLatestRestorableTime)
            throw new OpsException("DbRestoreTimeAmbiguous", OpsErrorCategory.InvalidArgument,
                "Give either a time to restore to (-ToTime) or -UseLatestRestorableTime, not both and not neither.", given.SourceDbInstanceId, isFatal: true);
        var found = await FindInstanceAsync(given.SourceDbInstanceId, ct).ConfigureAwait(false)
            ?? throw new OpsException("DBInstanceNotFound", OpsErrorCategory.ObjectNotFound,
                $"There is no instance '{given.SourceDbInstanceId}' to restore from. List them with Get-DbInstance.", given.SourceDbInstanceId);
        var source = await WithRestoreWindowAsync(found, events, ct).ConfigureAwait(false);
        if (source.BackupRetentionPeriod == 0 || source.LatestRestorableTime is null)
            throw new OpsException("DbPointInTimeRestoreNotEnabled", OpsErrorCategory.InvalidOperation,
                $"Instance '{source.DbInstanceId}' has no automated backups (retention {source.BackupRetentionPeriod} days{(source.LatestRestorableTime is null ? ", no latest restorable time" : "")}): " +
                "a point-in-time restore needs them. Restore a snapshot instead (Get-DbSnapshot -DbInstanceId " + source.DbInstanceId + " -Latest | Restore-Database).", source)
            { RecommendedAction = "Restore from a snapshot, or set a backup retention period on the instance." };
        DateTimeOffset? at = null;
        if (given.RestoreTime is { } wanted)
        {
            at = wanted.ToUniversalTime();
            EnsureInsideWindow(at.Value, source, events);
        }
        await EnsureTargetFreeAsync(given.DbInstanceId, ct).ConfigureAwait(false);
        var request = FillFromSource(given, source, events) with { RestoreTime = at, UseLatestRestorableTime = at is null };
        return new PointInTimeRestorePlan(request, source, at);
    }

    /// <summary>Refuses a time outside [EarliestRestorableTime, LatestRestorableTime] (DbRestoreTimeOutsideWindow); an unknown earliest time is not checked (a Verbose note says so).</summary>
    public static void EnsureInsideWindow(DateTimeOffset at, DbInstance source, IProgress<OpsEvent>? events)
    {
        var earliest = source.EarliestRestorableTime;
        var latest = source.LatestRestorableTime;
        if (earliest is null)
            events.Verbose($"The service did not say the earliest restorable time of {source.DbInstanceId}: only the latest ({latest:u}) was checked.");
        if ((earliest is { } e && at < e) || (latest is { } l && at > l))
            throw new OpsException("DbRestoreTimeOutsideWindow", OpsErrorCategory.InvalidArgument,
                $"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC is outside the restorable window of '{source.DbInstanceId}': " +
                $"{(earliest is { } from ? from.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "(earliest unknown)")} to " +
                $"{(latest is { } to ? to.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "(latest unknown)")} UTC. Nothing was restored.",
                source)
            { RecommendedAction = "Pick a time inside the window (Get-DbInstance shows EarliestRestorableTime and LatestRestorableTime), or use -UseLatestRestorableTime." };
    }

    public Task<DbInstance> RestoreToPointInTimeAsync(PointInTimeRestoreRequest request, CancellationToken ct) => _rds.RestoreDBInstanceToPointInTimeAsync(request, ct);

    /// <summary>
    /// The instance with its EarliestRestorableTime from its active automated backup (DescribeDBInstanceAutomatedBackups). A server
    /// that does not answer that action, or has no automated backup of the instance, leaves it null (a Verbose note), never an error.
    /// </summary>
    public async Task<DbInstance> WithRestoreWindowAsync(DbInstance instance, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        await FillRestoreWindowsAsync(new[] { instance }, events, ct).ConfigureAwait(false);
        return instance;
    }

    /// <summary>Streams an instance's automated backups (DescribeDBInstanceAutomatedBackups), page by page.</summary>
    public async IAsyncEnumerable<DbAutomatedBackup> GetAutomatedBackupsAsync(string? dbInstanceId, [EnumeratorCancellation] CancellationToken ct)
    {
        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _rds.DescribeDBInstanceAutomatedBackupsAsync(dbInstanceId, null, null, marker, ct).ConfigureAwait(false);
            foreach (var b in page.Items) yield return b;
            marker = Next(seen, page.Marker, "DescribeDBInstanceAutomatedBackups", dbInstanceId);
        } while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>Errors that mean "this server does not answer DescribeDBInstanceAutomatedBackups" or "no automated backup": the window stays unknown.</summary>
    private static bool IsWindowUnknown(OpsException ex) =>
        ex.ErrorId is "InvalidAction" or "UnknownOperationException" or "DBInstanceAutomatedBackupNotFound" or "NotImplemented" or "InvalidParameterValue" or "RdsResponseInvalid"
        || ex.Category == OpsErrorCategory.ObjectNotFound;

    private async Task FillRestoreWindowsAsync(IReadOnlyList<DbInstance> instances, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var wanted = instances.Where(i => i.BackupRetentionPeriod > 0).ToList();
        if (wanted.Count == 0) return;
        var filters = new[] { new RdsFilter("db-instance-id", wanted.Select(i => i.DbInstanceId).ToList()) };
        var byId = new Dictionary<string, DbAutomatedBackup>(StringComparer.OrdinalIgnoreCase);
        try
        {
            string? marker = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            do
            {
                var page = wanted.Count == 1
                    ? await _rds.DescribeDBInstanceAutomatedBackupsAsync(wanted[0].DbInstanceId, null, null, marker, ct).ConfigureAwait(false)
                    : await _rds.DescribeDBInstanceAutomatedBackupsAsync(null, filters, null, marker, ct).ConfigureAwait(false);
                foreach (var b in page.Items.Where(b => b.IsActive)) byId[b.DbInstanceId] = b;
                marker = Next(seen, page.Marker, "DescribeDBInstanceAutomatedBackups", null);
            } while (!string.IsNullOrEmpty(marker));
        }
        catch (OpsException ex) when (IsWindowUnknown(ex))
        {
            events.Verbose($"The earliest restorable time is unknown: DescribeDBInstanceAutomatedBackups answered {ex.ErrorId}.");
            return;
        }
        foreach (var i in wanted)
            if (byId.TryGetValue(i.DbInstanceId, out var backup)) i.EarliestRestorableTime = backup.EarliestTime;
    }

    // ---------------------------------------------------------------- instances

    /// <summary>Streams the instances a query selects, page by page, as <see cref="GetSnapshotsAsync"/> does.</summary>
    public async IAsyncEnumerable<DbInstance> GetInstancesAsync(InstanceQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var exact = query.DbInstanceIds.Where(i => !Wildcard.HasWildcard(i)).ToList();
        var patterns = query.DbInstanceIds.Where(Wildcard.HasWildcard).Select(Wildcard.ToRegex).ToList();
        foreach (var id in exact)
            foreach (var i in await Filled((await _rds.DescribeDBInstancesAsync(id, null, null, ct).ConfigureAwait(false)).Items).ConfigureAwait(false)) yield return i;
        if (exact.Count > 0 && patterns.Count == 0) yield break;
        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _rds.DescribeDBInstancesAsync(null, query.PageSize, marker, ct).ConfigureAwait(false);
            var selected = page.Items.Where(i => patterns.Count == 0 || patterns.Any(p => p.IsMatch(i.DbInstanceId))).ToList();
            foreach (var i in await Filled(selected).ConfigureAwait(false)) yield return i;
            marker = Next(seen, page.Marker, "DescribeDBInstances", null);
        } while (!string.IsNullOrEmpty(marker));

        async Task<IReadOnlyList<DbInstance>> Filled(IReadOnlyList<DbInstance> items)
        {
            if (query.WithRestoreWindow) await FillRestoreWindowsAsync(items, null, ct).ConfigureAwait(false);
            return items;
        }
    }

    public Task<DbInstance> WaitInstanceAsync(string dbInstanceId, TimeSpan timeout, IProgress<WaitProgress>? progress, CancellationToken ct, TimeProvider? time = null) =>
        Waiter.WaitAsync(
            async token => (await _rds.DescribeDBInstancesAsync(dbInstanceId, null, null, token).ConfigureAwait(false)).Items.FirstOrDefault()
                           ?? throw new OpsException("DBInstanceNotFound", OpsErrorCategory.ObjectNotFound, $"DBInstance {dbInstanceId} not found.", dbInstanceId),
            i => i.Status switch
            {
                "available" => WaitCheck.Done("available"),
                "failed" or "incompatible-restore" or "incompatible-parameters" or "incompatible-network" or "storage-full" or "deleting" or "inaccessible-encryption-credentials"
                    => WaitCheck.Failed($"the instance is {i.Status}"),
                _ => WaitCheck.Pending(i.Status),
            },
            new WaitOptions
            {
                Activity = $"Instance {dbInstanceId} available", Timeout = timeout, InitialInterval = TimeSpan.FromSeconds(1), MaxInterval = TimeSpan.FromSeconds(30),
                TimeoutErrorId = "DbInstanceWaitTimeout", FailedErrorId = "DbInstanceFailed", Target = dbInstanceId, Time = time ?? TimeProvider.System,
            },
            progress, ct);

    // ---------------------------------------------------------------- logs

    /// <summary>Streams a DB instance's log files, page by page, as <see cref="GetSnapshotsAsync"/> does.</summary>
    public async IAsyncEnumerable<DbLogFile> GetLogFilesAsync(string dbInstanceId, string? nameContains, [EnumeratorCancellation] CancellationToken ct)
    {
        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _rds.DescribeDBLogFilesAsync(dbInstanceId, nameContains, null, marker, ct).ConfigureAwait(false);
            foreach (var f in page.Items) yield return f;
            marker = Next(seen, page.Marker, "DescribeDBLogFiles", dbInstanceId);
        } while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>
    /// A whole log file (marker paging from the start until AdditionalDataPending is false), or its last <paramref name="tail"/> lines;
    /// line by line, numbered (whole files only) before <paramref name="pattern"/> (see <see cref="Common.LogPattern"/>) keeps only the lines it matches.
    /// The next portion is asked for only when the consumer asks for the line after the last one.
    /// </summary>
    public async IAsyncEnumerable<DbLogLine> ReadLogAsync(string dbInstanceId, string logFileName, int? tail, Regex? pattern, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var line in ReadLinesAsync(dbInstanceId, logFileName, tail, ct).ConfigureAwait(false))
            if (pattern is null || pattern.IsMatch(line.Line)) yield return line;
    }

    private async IAsyncEnumerable<DbLogLine> ReadLinesAsync(string dbInstanceId, string logFileName, int? tail, [EnumeratorCancellation] CancellationToken ct)
    {
        long number = 0;
        DbLogLine Line(string text) => new() { DbInstanceId = dbInstanceId, LogFileName = logFileName, LineNumber = ++number, Line = text };
        if (tail is { } n)
        {
            // The last lines without their place in the file (RDS does not say it): no line numbers rather than made-up ones.
            var portion = await _rds.DownloadDBLogFilePortionAsync(dbInstanceId, logFileName, null, n, ct).ConfigureAwait(false);
            foreach (var text in SplitLines(portion.LogFileData, out var rest).Append(rest).Where(t => t.Length > 0).TakeLast(n))
                yield return new DbLogLine { DbInstanceId = dbInstanceId, LogFileName = logFileName, Line = text };
            yield break;
        }
        var marker = "0";
        var carry = "";
        var seen = new HashSet<string>(StringComparer.Ordinal) { marker };
        while (true)
        {
            var portion = await _rds.DownloadDBLogFilePortionAsync(dbInstanceId, logFileName, marker, null, ct).ConfigureAwait(false);
            foreach (var text in SplitLines(carry + portion.LogFileData, out carry)) yield return Line(text);
            if (!portion.AdditionalDataPending || string.IsNullOrEmpty(portion.Marker)) break;
            // More data is pending, yet the marker is one already read from: following it would read the same portion for ever.
            marker = Next(seen, portion.Marker, "DownloadDBLogFilePortion", logFileName)!;
        }
        if (carry.Length > 0) yield return Line(carry);
    }

    /// <summary>The next page's marker; one that came back a second time is RdsPagingLoop (the server would send the same pages for ever).</summary>
    internal static string? Next(HashSet<string> seen, string? marker, string operation, string? target)
    {
        if (string.IsNullOrEmpty(marker) || seen.Add(marker)) return marker;
        throw new OpsException("RdsPagingLoop", OpsErrorCategory.InvalidResult,
            $"RDS returned a {operation} marker it had already given ({seen.Count} distinct markers so far): paging stopped instead of looping. " +
            $"Marker: {(marker.Length > 40 ? marker[..40] + "..." : marker)}", target);
    }

    private static List<string> SplitLines(string data, out string rest)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] != '\n') continue;
            lines.Add(data[start..i].TrimEnd('\r'));
            start = i + 1;
        }
        rest = data[start..];
        return lines;
    }
}
