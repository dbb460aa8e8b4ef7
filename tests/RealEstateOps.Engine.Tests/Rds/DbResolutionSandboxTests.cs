using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Rds;

namespace RealEstateOps.Engine.Tests.Rds;

/// <summary>
/// The database resolution steps against the RDS and EC2 sandbox, on the test run's shared PostgreSQL server: parameter groups with
/// pending-reboot semantics, reboots and class changes on the clock, security facts, and pg_stat_activity reports. Nothing here fills
/// or restarts the shared server (the sandbox never restarts a server it did not start; the Pester rehearsal covers that with its own).
/// </summary>
public class DbResolutionSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;
    private readonly RdsClient _client;
    private readonly Ec2Client _ec2;

    public DbResolutionSandboxTests(SandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _sandbox.Host.Context.Clock.Speed = 600;
        var retry = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 4 };
        _client = RdsClient.Create(sandbox.Target("rds"), retry);
        _ec2 = Ec2Client.Create(sandbox.Target("ec2"), retry);
    }

    public void Dispose()
    {
        _client.Dispose();
        _ec2.Dispose();
    }

    private DbConnectionRequest App => new() { ConnectionString = _sandbox.Host.Platform.AppConnectionString, Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Parameters_stream_page_by_page_and_changes_are_checked_before_any_request()
    {
        var ops = new DbParameterOperations(_client);
        var all = await ops.GetParametersAsync(new DbParameterQuery { DbInstanceId = RdsService.SeedInstanceId, PageSize = 20 }, default).ToListAsync();
        Assert.True(all.Count > 20);
        Assert.Equal(all.Count, all.Select(p => p.Name).Distinct().Count());
        var mc = Assert.Single(await ops.GetParametersAsync(new DbParameterQuery { GroupName = "real-estate-ai-pg15", Names = new[] { "max_conn*" } }, default).ToListAsync());
        Assert.Equal(("static", "user", true), (mc.ApplyType, mc.Source, mc.IsModifiable));

        async Task<string> Refusal(DbParameterSetRequest r) => (await Assert.ThrowsAsync<OpsException>(() => ops.PlanAsync(r, default))).ErrorId;
        Assert.Equal("DbParameterGroupIsDefault", await Refusal(new() { GroupName = "default.postgres15", Name = "max_connections", Value = "300" }));
        Assert.Equal("DbParameterNotFound", await Refusal(new() { DbInstanceId = RdsService.SeedInstanceId, Name = "no_such_setting", Value = "1" }));
        Assert.Equal("DbParameterRequiresReboot", await Refusal(new() { DbInstanceId = RdsService.SeedInstanceId, Name = "max_connections", Value = "300", ApplyMethod = "immediate" }));
        Assert.Equal("DbParameterValueInvalid", await Refusal(new() { DbInstanceId = RdsService.SeedInstanceId, Name = "max_connections", Value = "lots" }));
        Assert.Equal("DbParameterValueInvalid", await Refusal(new() { DbInstanceId = RdsService.SeedInstanceId, Name = "max_connections", Value = "3" }));
        Assert.Equal("DbParameterNotModifiable", await Refusal(new() { DbInstanceId = RdsService.SeedInstanceId, Name = "wal_buffers", Value = "64" }));

        // The server refuses the same things in its own words when a client skips the checks.
        var raw = await Assert.ThrowsAsync<OpsException>(() => _client.ModifyDBParameterGroupAsync("default.postgres15", new[] { new DbParameterChange("work_mem", "8192", "immediate") }, default));
        Assert.Equal("InvalidDBParameterGroupState", raw.ErrorId);
        raw = await Assert.ThrowsAsync<OpsException>(() => _client.ModifyDBParameterGroupAsync("real-estate-ai-pg15", new[] { new DbParameterChange("max_connections", "300", "immediate") }, default));
        Assert.Equal("InvalidParameterCombination", raw.ErrorId);
    }

    [Fact]
    public async Task A_static_change_is_pending_until_a_reboot_which_on_an_external_server_leaves_it_pending()
    {
        var ops = new DbParameterOperations(_client);
        var plan = await ops.PlanAsync(new DbParameterSetRequest { DbInstanceId = RdsService.SeedInstanceId, Name = "max_connections", Value = "321" }, default);
        Assert.Equal("pending-reboot", plan.ApplyMethod);
        var result = await ops.ApplyAsync(plan, default);
        Assert.True(result.PendingReboot);
        Assert.Equal("321", (await ops.FindParameterAsync("real-estate-ai-pg15", "max_connections", default))!.Value);
        var instance = Assert.Single((await _client.DescribeDBInstancesAsync(RdsService.SeedInstanceId, null, null, default)).Items);
        Assert.Equal("pending-reboot", instance.ParameterApplyStatus);

        var maintenance = new DbInstanceMaintenance(_client);
        var before = await maintenance.PrepareRebootAsync(RdsService.SeedInstanceId, forceFailover: true, default);
        Assert.True(before.MultiAZ && before.PendingReboot);
        var rebooting = await maintenance.RebootAsync(RdsService.SeedInstanceId, false, default);
        Assert.Equal("rebooting", rebooting.Status);
        Assert.Equal("InvalidDBInstanceState", (await Assert.ThrowsAsync<OpsException>(() => maintenance.RebootAsync(RdsService.SeedInstanceId, false, default))).ErrorId);
        var after = await new RdsOperations(_client).WaitInstanceAsync(RdsService.SeedInstanceId, TimeSpan.FromMinutes(1), null, default);
        Assert.Equal("available", after.Status);
        // The sandbox runs on the tests' shared server, which it must never restart: the change stays pending, and the server is untouched.
        Assert.Equal("pending-reboot", after.ParameterApplyStatus);
        await using var conn = new NpgsqlConnection(_sandbox.Host.Platform.AppConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("show max_connections", conn);
        Assert.NotEqual("321", (string)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_class_change_waits_for_the_window_or_modifies_now()
    {
        var maintenance = new DbInstanceMaintenance(_client);
        Assert.Equal("DbInstanceClassInvalid", Assert.Throws<OpsException>(() => DbInstanceMaintenance.ValidateClass("r6g.xlarge")).ErrorId);
        var restored = await RestoreScratchAsync();
        var deferred = await maintenance.ModifyClassAsync(restored, "db.r6g.xlarge", false, default);
        Assert.Equal(("available", "db.r6g.xlarge"), (deferred.Status, deferred.PendingInstanceClass));
        var now = await maintenance.ModifyClassAsync(restored, "db.r6g.2xlarge", true, default);
        Assert.Equal("modifying", now.Status);
        var done = await new RdsOperations(_client).WaitInstanceAsync(restored, TimeSpan.FromMinutes(1), null, default);
        Assert.Equal(("db.r6g.2xlarge", (string?)null), (done.InstanceClass, done.PendingInstanceClass));
        Assert.Equal("InvalidParameterCombination", (await Assert.ThrowsAsync<OpsException>(() => maintenance.ModifyClassAsync(restored, "db.x9.xlarge", true, default))).ErrorId);
    }

    private async Task<string> RestoreScratchAsync()
    {
        var rds = new RdsOperations(_client);
        var seed = (await rds.GetSnapshotsAsync(new SnapshotQuery { DbInstanceId = RdsService.SeedInstanceId, SnapshotType = "automated" }, default).ToListAsync())
            .OrderByDescending(s => s.SnapshotCreateTime).First();
        await rds.WaitSnapshotAsync(seed.SnapshotId, TimeSpan.FromMinutes(2), null, default);
        var id = $"cls-{Guid.NewGuid():N}"[..16];
        var (prepared, _) = await rds.PrepareRestoreAsync(new RestoreDbInstanceRequest { DbInstanceId = id, SnapshotId = seed.SnapshotId }, null, default);
        await rds.RestoreAsync(prepared, default);
        await rds.WaitInstanceAsync(id, TimeSpan.FromMinutes(2), null, default);
        return id;
    }

    [Fact]
    public async Task Security_facts_name_the_groups_rules_and_subnets()
    {
        var facts = await new DbNetworkReader(_client, _ec2).GetSecurityFactsAsync(RdsService.SeedInstanceId, default);
        Assert.True(facts.PortOpen);
        var group = Assert.Single(facts.SecurityGroups);
        Assert.Equal("sg-0realestatedb0001", group.GroupId);
        Assert.Contains(group.InboundRules, r => r.SourceGroupIds.Contains("sg-0eksnodes00000001") && r.Admits(facts.Port!.Value));
        Assert.Equal(new[] { "us-east-1a", "us-east-1b", "us-east-1c" }, facts.Subnets.Select(s => s.AvailabilityZone).Order().ToArray());
        Assert.All(facts.Subnets, s => Assert.StartsWith("10.0.", s.CidrBlock));
        Assert.Contains(facts.Findings, f => f.Contains("admits port", StringComparison.Ordinal));
        Assert.Equal("InvalidGroup.NotFound", (await Assert.ThrowsAsync<OpsException>(() => _ec2.DescribeSecurityGroupsAsync(new[] { "sg-0missing" }, default))).ErrorId);
    }

    [Fact]
    public async Task Activity_shows_the_faults_connections_long_queries_and_who_blocks_whom()
    {
        var http = _sandbox.Http;
        using (var open = new HttpRequestMessage(HttpMethod.Post, RdsService.ConnectionFaultPath) { Content = JsonContent.Create(new { application = "api-service", count = 3 }) })
        {
            var answer = JsonNode.Parse(await (await http.SendAsync(open)).EnsureSuccessStatusCode().Content.ReadAsStringAsync())!;
            Assert.Equal(3, (int)answer["held"]!);
        }
        var table = "t_" + Guid.NewGuid().ToString("N")[..10];
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_sandbox.Host.Platform.AppConnectionString) { Pooling = false, ApplicationName = "lock-holder" }.ConnectionString);
        await holder.OpenAsync();
        await using (var create = new NpgsqlCommand($"create table {table}(id int primary key); insert into {table} values (1)", holder))
            await create.ExecuteNonQueryAsync();
        await using (var begin = new NpgsqlCommand("begin", holder)) await begin.ExecuteNonQueryAsync();
        await using (var hold = new NpgsqlCommand($"update {table} set id = 1 where id = 1", holder)) await hold.ExecuteNonQueryAsync();
        await using var waiter = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_sandbox.Host.Platform.AppConnectionString) { Pooling = false, ApplicationName = "lock-waiter" }.ConnectionString);
        await waiter.OpenAsync();
        var blocked = new NpgsqlCommand($"update {table} set id = 1 where id = 1", waiter).ExecuteNonQueryAsync();
        try
        {
            DbActivityReport report;
            var deadline = DateTime.UtcNow.AddSeconds(20);
            do report = await new PgActivityReader().ReadAsync(App, default);
            while (report.Blocking.Count == 0 && DateTime.UtcNow < deadline);
            Assert.Equal(3, report.ByApplication.Single(g => g.Name == "api-service").Count);
            var pair = Assert.Single(report.Blocking, p => report.Sessions.Single(s => s.ProcessId == p.BlockedPid).Application == "lock-waiter");
            Assert.Equal("lock-holder", report.Sessions.Single(s => s.ProcessId == pair.BlockingPid).Application);
            Assert.Equal("idle in transaction", pair.BlockingState);
            Assert.Contains(report.LongestRunning, s => s.ProcessId == pair.BlockedPid);
            Assert.Equal(report.MaxConnections - report.ReservedForSuperuser - report.InUse, report.AvailableToUsers);

            // Cancelling the waiting query ends its wait; the reader's own connection is refused.
            var stopped = await new PgBackendStopper().StopAsync(App, pair.BlockedPid, terminate: false, default);
            Assert.True(stopped.Signalled);
            var cancelled = await Assert.ThrowsAsync<PostgresException>(() => blocked);
            Assert.Equal("57014", cancelled.SqlState);
            Assert.Equal("DbProcessNotFound", (await Assert.ThrowsAsync<OpsException>(() => new PgBackendStopper().StopAsync(App, int.MaxValue, false, default))).ErrorId);
        }
        finally
        {
            using var release = new HttpRequestMessage(HttpMethod.Delete, RdsService.ConnectionFaultPath);
            await http.SendAsync(release);
            await using var drop = new NpgsqlCommand($"rollback; drop table if exists {table}", holder);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_login_refused_for_lack_of_slots_is_DbTooManyConnections_and_a_superuser_still_reads_the_report()
    {
        // A role with a connection limit of one gets SQLSTATE 53300 on its second login, as every role does on a full server.
        var admin = await TestPostgres.AdminAsync();
        var role = TestPostgres.UniqueName("lim");
        var password = Guid.NewGuid().ToString("N");
        await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create role {role} login password '{password}' connection limit 1", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        try
        {
            var limited = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Username = role, Password = password, Database = "postgres", Pooling = false };
            await using var first = new NpgsqlConnection(limited.ConnectionString);
            await first.OpenAsync();
            var request = new DbConnectionRequest { ConnectionString = limited.ConnectionString, Timeout = TimeSpan.FromSeconds(10) };
            var refused = await Assert.ThrowsAsync<OpsException>(() => new PgActivityReader().ReadAsync(request, default));
            Assert.Equal("DbTooManyConnections", refused.ErrorId);
            Assert.DoesNotContain(password, refused.Message);

            var superuser = new DbConnectionRequest { ConnectionString = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Pooling = false }.ConnectionString, Timeout = TimeSpan.FromSeconds(10) };
            var report = await new PgActivityReader().ReadAsync(new DbActivityRequest { Connection = request, Superuser = superuser }, default);
            Assert.True(report.LoginRefused);
            Assert.True(report.IsExhausted);
            Assert.Equal("DbTooManyConnections", report.LoginErrorId);
            Assert.Contains(report.Sessions, s => s.User == role);
        }
        finally
        {
            await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Pooling = false }.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"select pg_terminate_backend(pid) from pg_stat_activity where usename = '{role}'; drop role if exists {role}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
