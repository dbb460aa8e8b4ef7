using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Tests.Postgres;

public sealed class PgMaintenanceTests : IClassFixture<DbHealthDatabase>
{
    private readonly DbHealthDatabase _db;

    public PgMaintenanceTests(DbHealthDatabase db) => _db = db;

    private sealed class Events : IProgress<OpsEvent>
    {
        public List<OpsEvent> All { get; } = new();
        public void Report(OpsEvent value) { lock (All) All.Add(value); }
        public IEnumerable<string> FailedIds => All.OfType<OpsItemFailed>().Select(f => f.Error.ErrorId);
    }

    private async Task<DbMaintenanceRequest> Request(Func<DbConnectionRequest, DbMaintenanceRequest>? make = null)
    {
        var c = await _db.RequestAsync();
        return make is null ? new DbMaintenanceRequest { Connection = c } : make(c);
    }

    [Fact]
    public void Statements_quote_every_name()
    {
        var s = PgMaintenance.VacuumStatement("public", "we\"ird; drop table x; --", 0, "test");
        Assert.Equal("VACUUM (ANALYZE) \"public\".\"we\"\"ird; drop table x; --\"", s.Sql);
        var r = PgMaintenance.ReindexStatement("my schema", "Idx", "my schema.t", 0, "test");
        Assert.Equal("REINDEX INDEX CONCURRENTLY \"my schema\".\"Idx\"", r.Sql);
        Assert.Throws<ArgumentException>(() => PgIdentifier.Quote(""));
    }

    [Fact]
    public async Task A_name_that_is_no_table_is_a_per_item_failure_and_never_reaches_the_sql()
    {
        var events = new Events();
        var request = await Request(c => new DbMaintenanceRequest { Connection = c, Tables = new[] { "churn; drop table churn", "churn" } });
        var plan = await new PgMaintenance().PlanAsync(request, events, CancellationToken.None);
        Assert.Equal(new[] { "DbTableNotFound" }, events.FailedIds);
        var only = Assert.Single(plan);
        Assert.Equal("VACUUM (ANALYZE) \"public\".\"churn\"", only.Sql);
    }

    [Fact]
    public async Task A_table_whose_name_holds_a_quote_is_found_in_the_catalog_and_vacuumed()
    {
        var request = await Request(c => new DbMaintenanceRequest { Connection = c, Tables = new[] { "public.we\"ird; drop table churn; --" } });
        var maintenance = new PgMaintenance();
        var plan = await maintenance.PlanAsync(request, null, CancellationToken.None);
        var statement = Assert.Single(plan);
        Assert.Equal("VACUUM (ANALYZE) \"public\".\"we\"\"ird; drop table churn; --\"", statement.Sql);
        var result = await maintenance.RunAsync(statement, request, null, CancellationToken.None);
        Assert.Equal(DbMaintenanceStatus.Succeeded, result.Status);
        var health = await new PgHealthReader().ReadAsync(new DbHealthRequest { Connection = request.Connection }, null, CancellationToken.None);
        Assert.Contains(health.Tables, t => t.Name == "churn"); // still there
    }

    [Fact]
    public async Task By_default_the_tables_past_the_dead_tuple_threshold_are_planned_and_a_real_vacuum_clears_them()
    {
        await _db.ExecAsync("create table if not exists vac_me (id int) with (autovacuum_enabled = false); insert into vac_me select generate_series(1, 2000)");
        await _db.ExecAsync("delete from vac_me");
        var request = await Request(c => new DbMaintenanceRequest { Connection = c, DeadTupleThreshold = 1500 });
        var maintenance = new PgMaintenance();
        var plan = await maintenance.PlanAsync(request, null, CancellationToken.None);
        var statement = Assert.Single(plan, s => s.Target == "public.vac_me");
        Assert.True(statement.Before >= 2000);
        Assert.DoesNotContain(plan, s => s.Target.Contains("weird", StringComparison.Ordinal));
        var result = await maintenance.RunAsync(statement, request, null, CancellationToken.None);
        Assert.Equal(0L, result.After);
        var health = await new PgHealthReader().ReadAsync(new DbHealthRequest { Connection = request.Connection }, null, CancellationToken.None);
        var table = health.Tables.Single(t => t.Name == "vac_me");
        Assert.Equal(0, table.DeadTuples);
        Assert.NotNull(table.LastVacuum);
    }

    [Fact]
    public async Task Reindex_concurrently_of_a_named_index_rebuilds_it()
    {
        var request = await Request(c => new DbMaintenanceRequest { Connection = c, Indexes = new[] { "churn_v_a" } });
        var maintenance = new PgMaintenance();
        var statement = Assert.Single(await maintenance.PlanAsync(request, null, CancellationToken.None));
        Assert.Equal(DbMaintenanceKind.ReindexConcurrently, statement.Kind);
        Assert.Equal("public.churn", statement.Table);
        var result = await maintenance.RunAsync(statement, request, null, CancellationToken.None);
        Assert.Equal(DbMaintenanceStatus.Succeeded, result.Status);
        Assert.True(result.After > 0);
    }

    [Fact]
    public async Task A_lock_held_elsewhere_ends_in_DbLockTimeout_and_cancelling_stops_the_statement_on_the_server()
    {
        await _db.ExecAsync("create table if not exists locked (id int)");
        var c = await _db.RequestAsync();
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(DbConnectionTester.BuildConnectionString(c).ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await using (var cmd = new NpgsqlCommand("begin; lock table locked in access exclusive mode;", holder)) await cmd.ExecuteNonQueryAsync();
        // Watched from a connection outside any transaction, so every look takes fresh statistics.
        await using var observer = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(DbConnectionTester.BuildConnectionString(c).ConnectionString) { Pooling = false }.ConnectionString);
        await observer.OpenAsync();

        var maintenance = new PgMaintenance();
        var statement = PgMaintenance.VacuumStatement("public", "locked", 0, "test");
        var quick = new DbMaintenanceRequest { Connection = c, LockTimeout = TimeSpan.FromMilliseconds(200) };
        var ex = await Assert.ThrowsAsync<OpsException>(() => maintenance.RunAsync(statement, quick, null, CancellationToken.None));
        Assert.Equal("DbLockTimeout", ex.ErrorId);

        var patient = new DbMaintenanceRequest { Connection = c, LockTimeout = TimeSpan.FromMinutes(5) };
        using var cts = new CancellationTokenSource();
        var running = maintenance.RunAsync(statement, patient, null, cts.Token);
        await WaitForWaiterAsync(observer);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await using var count = new NpgsqlCommand("select count(*) from pg_stat_activity where query like 'VACUUM (ANALYZE) \"public\".\"locked\"%' and state = 'active'", observer);
        for (var i = 0; i < 100 && (long)(await count.ExecuteScalarAsync())! > 0; i++) await Task.Delay(50);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    private static async Task WaitForWaiterAsync(NpgsqlConnection observer)
    {
        await using var cmd = new NpgsqlCommand("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like 'VACUUM%locked%'", observer);
        for (var i = 0; i < 200; i++)
        {
            if ((long)(await cmd.ExecuteScalarAsync())! > 0) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The VACUUM never waited for the lock.");
    }
}
