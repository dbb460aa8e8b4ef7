using System.Net;
using System.Net.Http.Json;
using Npgsql;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Rds;

namespace RealEstateOps.Engine.Tests.Rds;

/// <summary>The RDS client and operations against the RDS sandbox over the real PostgreSQL server.</summary>
public class RdsSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;
    private readonly RdsClient _client;
    private readonly RdsOperations _rds;

    public RdsSandboxTests(SandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _sandbox.Host.Context.Clock.Speed = 600; // a 7-minute restore in under a second of simulated waiting
        _client = RdsClient.Create(Target(sandbox), new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 8 });
        _rds = new RdsOperations(_client);
    }

    public void Dispose() => _client.Dispose();

    internal static AwsTarget Target(SandboxFixture sandbox) => sandbox.Target("rds");

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>The newest seeded automated snapshot, once available (its dump is taken in the background at sandbox start).</summary>
    private async Task<DbSnapshot> SeedSnapshotAsync()
    {
        var newest = (await _rds.GetSnapshotsAsync(new SnapshotQuery { DbInstanceId = RdsService.SeedInstanceId, SnapshotType = "automated" }, default).ToListAsync())
            .OrderByDescending(s => s.SnapshotCreateTime).First();
        return await _rds.WaitSnapshotAsync(newest.SnapshotId, TimeSpan.FromMinutes(2), null, default);
    }

    private async Task<long> CountAsync(string database, string table)
    {
        var p = _sandbox.Host.Platform;
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(p.AppConnectionString) { Database = database, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select count(*) from {table}", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_platform_database_is_the_seeded_instance_with_seven_days_of_automated_snapshots()
    {
        var instance = Assert.Single((await _client.DescribeDBInstancesAsync(RdsService.SeedInstanceId, null, null, default)).Items);
        Assert.Equal(("available", _sandbox.Host.Platform.Database, _sandbox.Host.Platform.Port), (instance.Status, instance.DbName, instance.Port));
        Assert.Equal(_sandbox.Host.Platform.Host, instance.Address);
        Assert.NotEmpty(instance.VpcSecurityGroupIds);

        var automated = await _rds.GetSnapshotsAsync(new SnapshotQuery { DbInstanceId = RdsService.SeedInstanceId, SnapshotType = "automated" }, default).ToListAsync();
        // Seven seeded days, and one more for each backup window the sandbox clock has passed since (it runs fast): one a day.
        Assert.InRange(automated.Count, RdsService.SeedAutomatedSnapshots, 14);
        Assert.All(automated, s => Assert.StartsWith("rds:real-estate-ai-db-", s.SnapshotId));
        var days = automated.Select(s => s.SnapshotCreateTime!.Value.UtcDateTime.Date).Distinct().Count();
        Assert.Equal(automated.Count, days);
    }

    [Fact]
    public async Task A_snapshot_really_holds_the_data_and_a_restore_brings_deleted_rows_back()
    {
        // A scratch instance of our own (restored from the seed), so that deleting rows touches no other test.
        var source = Unique("src");
        var seed = await SeedSnapshotAsync();
        var (prepared, _) = await _rds.PrepareRestoreAsync(new RestoreDbInstanceRequest { DbInstanceId = source, SnapshotId = seed.SnapshotId }, null, default);
        await _rds.RestoreAsync(prepared, default);
        var ready = await _rds.WaitInstanceAsync(source, TimeSpan.FromMinutes(2), null, default);
        Assert.Equal(240, await CountAsync(ready.DbName!, "properties"));

        var snapshotId = Unique("before-delete");
        var created = await _rds.CreateSnapshotAsync(source, snapshotId, new Dictionary<string, string> { ["reason"] = "test" }, default);
        Assert.Equal(("creating", "manual"), (created.Status, created.SnapshotType));
        var progress = new List<int?>();
        var available = await _rds.WaitSnapshotAsync(snapshotId, TimeSpan.FromMinutes(2), new Progress(p => progress.Add(p.PercentComplete)), default);
        Assert.Equal((100, "test"), (available.PercentProgress, available.Tags["reason"]));

        await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_sandbox.Host.Platform.AppConnectionString) { Database = ready.DbName }.ConnectionString))
        {
            await conn.OpenAsync();
            await using var delete = new NpgsqlCommand("delete from proposals", conn);
            Assert.Equal(60, await delete.ExecuteNonQueryAsync());
        }
        Assert.Equal(0, await CountAsync(ready.DbName!, "proposals"));

        var target = Unique("restored");
        var events = new Events();
        var (request, snapshot) = await _rds.PrepareRestoreAsync(new RestoreDbInstanceRequest { DbInstanceId = target, SnapshotId = snapshotId }, events, default);
        // What was copied from the source is said as Verbose notes, one per setting.
        var notes = events.Notes.Select(n => (n.Level, n.Message)).ToList();
        Assert.All(notes, n => Assert.Equal(OpsNoteLevel.Verbose, n.Level));
        Assert.All(notes, n => Assert.EndsWith($" (from {source}).", n.Message));
        Assert.Equal(snapshotId, snapshot.SnapshotId);
        Assert.Equal(ready.VpcSecurityGroupIds, request.VpcSecurityGroupIds);
        Assert.Contains(notes, n => n.Message.StartsWith("Copied from the source instance: security groups", StringComparison.Ordinal));
        var restoring = await _rds.RestoreAsync(request, default);
        Assert.Equal("creating", restoring.Status);
        var statuses = new List<string>();
        var restored = await _rds.WaitInstanceAsync(target, TimeSpan.FromMinutes(2), new Progress(p => statuses.Add(p.Status)), default);
        Assert.Equal("available", restored.Status);

        // Both restores copied their source's network and configuration (read back through the same client):
        // the seed onto the scratch source, the scratch source onto the restored instance. The seed's values are
        // not the sandbox's restore defaults ("default", "default.postgres15"), so a dropped copy shows.
        var seedNow = Assert.Single((await _client.DescribeDBInstancesAsync(RdsService.SeedInstanceId, null, null, default)).Items);
        Assert.NotEqual("default", seedNow.SubnetGroup);
        Assert.NotEqual("default.postgres15", seedNow.ParameterGroup);
        Assert.False(string.IsNullOrEmpty(seedNow.InstanceClass));
        Assert.NotEmpty(seedNow.VpcSecurityGroupIds);
        var sourceNow = Assert.Single((await _client.DescribeDBInstancesAsync(source, null, null, default)).Items);
        var restoredNow = Assert.Single((await _client.DescribeDBInstancesAsync(target, null, null, default)).Items);
        foreach (var (from, to) in new[] { (seedNow, sourceNow), (sourceNow, restoredNow) })
        {
            Assert.Equal(from.SubnetGroup, to.SubnetGroup);
            Assert.Equal(from.ParameterGroup, to.ParameterGroup);
            Assert.Equal(from.InstanceClass, to.InstanceClass);
            Assert.Equal(from.VpcSecurityGroupIds, to.VpcSecurityGroupIds);
            Assert.Equal(from.VpcId, to.VpcId);
        }
        // The restore request named each of them (the sandbox would fall back to the snapshot's class on its own).
        Assert.Equal(sourceNow.SubnetGroup, request.SubnetGroup);
        Assert.Equal(sourceNow.ParameterGroup, request.ParameterGroup);
        Assert.Equal(sourceNow.InstanceClass, request.InstanceClass);
        Assert.Equal(sourceNow.VpcSecurityGroupIds, request.VpcSecurityGroupIds);
        foreach (var what in new[] { "subnet group", "parameter group", "instance class" })
            Assert.Contains(notes, n => n.Message.StartsWith("Copied from the source instance: " + what, StringComparison.Ordinal));
        Assert.Equal(60, await CountAsync(restored.DbName!, "proposals"));
        Assert.Equal(240, await CountAsync(restored.DbName!, "properties"));
    }

    private sealed class Progress(Action<Engine.Waiting.WaitProgress> report) : IProgress<Engine.Waiting.WaitProgress>
    {
        public void Report(Engine.Waiting.WaitProgress value) => report(value);
    }

    /// <summary>Keeps an operation's events, as they are reported.</summary>
    private sealed class Events : IProgress<OpsEvent>
    {
        private readonly List<OpsEvent> _all = new();
        public IReadOnlyList<OpsNote> Notes { get { lock (_all) return _all.OfType<OpsNote>().ToList(); } }
        public void Report(OpsEvent value) { lock (_all) _all.Add(value); }
    }

    [Fact]
    public async Task Errors_carry_rds_codes_statuses_and_request_ids()
    {
        var missing = await Assert.ThrowsAsync<OpsException>(() => _client.DescribeDBSnapshotsAsync(null, "no-such-snapshot", null, null, null, null, default));
        Assert.Equal(("DBSnapshotNotFound", OpsErrorCategory.ObjectNotFound), (missing.ErrorId, missing.Category));
        Assert.Contains("HTTP 404", missing.Message);
        Assert.Contains("request id", missing.Message);

        var noInstance = await Assert.ThrowsAsync<OpsException>(() => _client.CreateDBSnapshotAsync("no-such-instance", Unique("x"), null, default));
        Assert.Equal("DBInstanceNotFound", noInstance.ErrorId);

        var auto = await SeedSnapshotAsync();
        var delete = await Assert.ThrowsAsync<OpsException>(() => _client.DeleteDBSnapshotAsync(auto.SnapshotId, default));
        Assert.Equal("InvalidDBSnapshotState", delete.ErrorId);

        var taken = await Assert.ThrowsAsync<OpsException>(() => _client.RestoreDBInstanceFromDBSnapshotAsync(
            new RestoreDbInstanceRequest { DbInstanceId = RdsService.SeedInstanceId, SnapshotId = auto.SnapshotId }, default));
        Assert.Equal(("DBInstanceAlreadyExists", OpsErrorCategory.ResourceExists), (taken.ErrorId, taken.Category));
        Assert.Contains("HTTP 400", taken.Message);

        var badId = await Assert.ThrowsAsync<OpsException>(() => _client.CreateDBSnapshotAsync(RdsService.SeedInstanceId, "bad--id", null, default));
        Assert.Equal("InvalidParameterValue", badId.ErrorId);

        var page = await Assert.ThrowsAsync<OpsException>(() => _client.DescribeDBSnapshotsAsync(null, null, null, null, 5, null, default));
        Assert.Equal("InvalidParameterValue", page.ErrorId);
    }

    [Fact]
    public async Task A_taken_snapshot_id_and_a_taken_target_are_caught_before_any_change()
    {
        var auto = await SeedSnapshotAsync();
        var taken = await Assert.ThrowsAsync<OpsException>(() => _rds.EnsureSnapshotIdFreeAsync(auto.SnapshotId, wasDefault: false, default));
        Assert.Equal("DbSnapshotIdTaken", taken.ErrorId);
        Assert.Contains("-SnapshotId", taken.Message);

        var target = await Assert.ThrowsAsync<OpsException>(() => _rds.PrepareRestoreAsync(new RestoreDbInstanceRequest { DbInstanceId = RdsService.SeedInstanceId, SnapshotId = auto.SnapshotId }, null, default));
        Assert.Equal("DbTargetInstanceExists", target.ErrorId);
        var snapshot = await Assert.ThrowsAsync<OpsException>(() => _rds.PrepareRestoreAsync(new RestoreDbInstanceRequest { DbInstanceId = Unique("t"), SnapshotId = "no-such-snapshot" }, null, default));
        Assert.Equal("DBSnapshotNotFound", snapshot.ErrorId);
    }

    [Fact]
    public async Task Describe_pages_with_markers_and_filters()
    {
        var prefix = Unique("page");
        var seeded = await _sandbox.Http.PostAsJsonAsync("_sandbox/rds/snapshots", new { dbInstanceId = RdsService.SeedInstanceId, count = 45, prefix });
        Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);

        var first = await _client.DescribeDBSnapshotsAsync(RdsService.SeedInstanceId, null, "manual", null, 20, null, default);
        Assert.Equal(20, first.Items.Count);
        Assert.NotNull(first.Marker);
        var all = await _rds.GetSnapshotsAsync(new SnapshotQuery { SnapshotIds = new[] { prefix + "-*" }, PageSize = 20 }, default).ToListAsync();
        Assert.Equal(45, all.Count);
        Assert.Equal(45, all.Select(s => s.SnapshotId).Distinct().Count());

        var filtered = await _client.DescribeDBSnapshotsAsync(null, null, null,
            new[] { new RdsFilter("db-snapshot-id", new[] { prefix + "-000001", prefix + "-000002" }) }, null, null, default);
        Assert.Equal(2, filtered.Items.Count);
        var unknown = await Assert.ThrowsAsync<OpsException>(() => _client.DescribeDBSnapshotsAsync(null, null, null, new[] { new RdsFilter("colour", new[] { "red" }) }, null, null, default));
        Assert.Equal("InvalidParameterValue", unknown.ErrorId);
    }

    [Fact]
    public async Task Log_files_are_the_servers_real_log_read_whole_by_marker_paging_or_as_a_tail()
    {
        // Put a recognisable line into the server's log.
        var marker = "reo-log-" + Guid.NewGuid().ToString("N")[..8];
        await using (var conn = new NpgsqlConnection(_sandbox.Host.Platform.AppConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"select 1 from \"{marker}\"", conn);
            await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
        }
        var files = await _rds.GetLogFilesAsync(RdsService.SeedInstanceId, null, default).ToListAsync();
        var log = Assert.Single(files, f => f.LogFileName == "error/postgresql.log");
        Assert.True(log.Size > 0);

        var whole = await _rds.ReadLogAsync(RdsService.SeedInstanceId, log.LogFileName, null, null, default).ToListAsync();
        Assert.Contains(whole, l => l.Line.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, whole.Count).Select(i => (long?)i), whole.Select(l => l.LineNumber));

        // Paging by hand: three lines a portion, following markers until AdditionalDataPending is false.
        var lines = new List<string>();
        string? next = "0";
        var portions = 0;
        while (true)
        {
            var portion = await _client.DownloadDBLogFilePortionAsync(RdsService.SeedInstanceId, log.LogFileName, next, 3, default);
            portions++;
            lines.AddRange(portion.LogFileData.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            if (!portion.AdditionalDataPending) break;
            next = portion.Marker;
        }
        Assert.True(portions > 1);
        Assert.Equal(whole.Take(lines.Count).Select(l => l.Line), lines.Take(whole.Count));

        var tail = await _rds.ReadLogAsync(RdsService.SeedInstanceId, log.LogFileName, 2, null, default).ToListAsync();
        Assert.True(tail.Count <= 2);
        // RDS says which lines are the last ones, not where they are in the file: a tail's lines carry no line number,
        // rather than numbers that restart at 1 (the same lines read whole have their numbers in the file).
        Assert.All(tail, l => Assert.Null(l.LineNumber));
        Assert.Equal(whole.Select(l => l.Line).TakeLast(tail.Count), tail.Select(l => l.Line).Take(whole.Count));
        // DescribeDBLogFiles pages by MaxRecords, as the other lists do.
        var seeded = await _sandbox.Http.PostAsJsonAsync("_sandbox/rds/logs", new { count = 30, lines = 2, prefix = "paging" });
        Assert.True(seeded.IsSuccessStatusCode);
        var firstPage = await _client.DescribeDBLogFilesAsync(RdsService.SeedInstanceId, "paging", 20, null, default);
        Assert.Equal(20, firstPage.Items.Count);
        var secondPage = await _client.DescribeDBLogFilesAsync(RdsService.SeedInstanceId, "paging", 20, firstPage.Marker, default);
        Assert.Equal(10, secondPage.Items.Count);
        Assert.Null(secondPage.Marker);
        var seededLines = await _rds.ReadLogAsync(RdsService.SeedInstanceId, "error/paging.log.0030", null, null, default).ToListAsync();
        Assert.Equal(new long?[] { 1, 2 }, seededLines.Select(l => l.LineNumber));

        var missing = await Assert.ThrowsAsync<OpsException>(() => _client.DownloadDBLogFilePortionAsync(RdsService.SeedInstanceId, "error/nope.log", null, null, default));
        Assert.Equal("DBLogFileNotFoundFault", missing.ErrorId);
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_and_a_retried_create_is_reconciled()
    {
        var retries = 0;
        using var client = RdsClient.Create(Target(_sandbox), new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20), MaxAttempts = 30 },
            (_, _, _, _) => Interlocked.Increment(ref retries));
        await _sandbox.Http.PutAsJsonAsync("_sandbox/faults/rds", new { errorRate = 0.5 });
        try
        {
            for (var i = 0; i < 10; i++)
                Assert.NotEmpty((await client.DescribeDBInstancesAsync(RdsService.SeedInstanceId, null, null, default)).Items);
            var id = Unique("faulty");
            var created = await client.CreateDBSnapshotAsync(RdsService.SeedInstanceId, id, null, default);
            Assert.Equal(id, created.SnapshotId);
        }
        finally
        {
            await _sandbox.Http.DeleteAsync("_sandbox/faults");
        }
        Assert.True(retries > 0);
    }

    [Fact]
    public void Several_snapshots_for_one_target_are_refused_naming_the_target_and_the_snapshots()
    {
        RestoreDbInstanceRequest Restore(string snapshot, string target) => new() { DbInstanceId = target, SnapshotId = snapshot };
        RdsOperations.EnsureOneSnapshotPerTarget(new[] { Restore("a", "x"), Restore("b", "y") });
        var ex = Assert.Throws<OpsException>(() => RdsOperations.EnsureOneSnapshotPerTarget(new[] { Restore("a", "x"), Restore("b", "y"), Restore("c", "X") }));
        Assert.Equal(("RestoreTargetAmbiguous", OpsErrorCategory.InvalidArgument, true), (ex.ErrorId, ex.Category, ex.IsFatal));
        var conflict = Assert.IsType<RestoreTargetConflict>(ex.Target);
        Assert.Equal("x", conflict.TargetInstanceId);
        Assert.Equal(new[] { "a", "c" }, conflict.SnapshotIds);
        Assert.Contains("2 snapshots were given for the one target instance 'x' (a, c)", ex.Message);
        Assert.Contains("Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId x", ex.RecommendedAction);
    }

    [Theory]
    [InlineData("a", null)]
    [InlineData("real-estate-ai-db", null)]
    [InlineData("1db", "start with a letter")]
    [InlineData("db--x", "two consecutive hyphens")]
    [InlineData("db-", "end with a hyphen")]
    [InlineData("db_x", "only letters, digits and hyphens")]
    [InlineData("", "empty")]
    public void Identifiers_follow_rds_rules(string id, string? problem)
    {
        var found = RdsIdentifiers.Problem(id, RdsIdentifiers.MaxInstanceLength);
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
        Assert.NotNull(RdsIdentifiers.Problem(new string('a', 64), RdsIdentifiers.MaxInstanceLength));
        RdsIdentifiers.ValidateSnapshotRef("rds:real-estate-ai-db-2026-11-28-02-05");
        Assert.Equal("DbSnapshotIdInvalid", Assert.Throws<OpsException>(() => RdsIdentifiers.ValidateNewSnapshotId("rds:x")).ErrorId);
    }
}
