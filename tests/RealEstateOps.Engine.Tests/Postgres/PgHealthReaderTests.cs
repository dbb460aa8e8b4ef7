using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Postgres;

/// <summary>
/// A database of its own on the test run's PostgreSQL server, owned by a login that is neither a superuser nor in pg_monitor (as the
/// platform's application user is), with a table with dead tuples (autovacuum off, so they stay), duplicate indexes and an embeddings
/// table; dropped afterwards (only the database and role this fixture created).
/// </summary>
public sealed class DbHealthDatabase : IAsyncLifetime
{
    public const string Marker = "realestateops-test dbhealth";
    public string Database { get; } = TestPostgres.UniqueName("dbh");
    public string Role { get; } = TestPostgres.UniqueName("dbh_app");
    private const string Password = "dbh-test-pw";
    public bool PgVectorAvailable { get; private set; }

    public async Task<DbConnectionRequest> RequestAsync()
    {
        var admin = await TestPostgres.AdminAsync();
        return new DbConnectionRequest { Host = admin.Host, Port = admin.Port, Database = Database, User = Role, Password = Password, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Runs SQL as the owner on a connection of its own that is closed at once, so its statistics reach the server.</summary>
    public async Task ExecAsync(string sql)
    {
        var admin = await TestPostgres.AdminAsync();
        var b = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = Database, Username = Role, Password = Password, Pooling = false };
        await using var conn = new NpgsqlConnection(b.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task AdminExecAsync(string sql, string database = "postgres")
    {
        var b = new NpgsqlConnectionStringBuilder(await TestPostgres.AdminConnectionStringAsync()) { Database = database, Pooling = false };
        await using var conn = new NpgsqlConnection(b.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task InitializeAsync()
    {
        await AdminExecAsync($"create role \"{Role}\" login password '{Password}'");
        await AdminExecAsync($"comment on role \"{Role}\" is '{Marker}'");
        await AdminExecAsync($"create database \"{Database}\" owner \"{Role}\"");
        await AdminExecAsync($"comment on database \"{Database}\" is '{Marker}'");
        await ExecAsync("""
            create table churn (id int primary key, v text not null) with (autovacuum_enabled = false);
            insert into churn select g, 'value ' || g from generate_series(1, 5000) g;
            create index churn_v_a on churn (v);
            create index churn_v_b on churn (v);
            create table "we""ird; drop table churn; --" (id int) with (autovacuum_enabled = false);
            create table property_embeddings (property_id int primary key, model text not null, embedding real[] not null);
            insert into property_embeddings select g, 'm', array[g, 1, 2, 3]::real[] from generate_series(1, 20) g;
            insert into property_embeddings values (21, 'old', array[1, 2, 3]::real[]);
            """);
        await ExecAsync("delete from churn where id <= 3000");
        var b = new NpgsqlConnectionStringBuilder(await TestPostgres.AdminConnectionStringAsync()) { Database = Database, Pooling = false };
        await using var conn = new NpgsqlConnection(b.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select exists (select 1 from pg_available_extensions where name = 'vector')", conn);
        PgVectorAvailable = (bool)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminExecAsync($"drop database if exists \"{Database}\" with (force)");
        await AdminExecAsync($"drop role if exists \"{Role}\"");
    }
}

public sealed class PgHealthReaderTests : IClassFixture<DbHealthDatabase>
{
    private readonly DbHealthDatabase _db;

    public PgHealthReaderTests(DbHealthDatabase db) => _db = db;

    private async Task<DbHealthReport> ReadAsync(Func<DbHealthRequest, DbHealthRequest>? change = null)
    {
        var request = new DbHealthRequest { Connection = await _db.RequestAsync() };
        return await new PgHealthReader().ReadAsync(change is null ? request : change(request), null, CancellationToken.None);
    }

    [Fact]
    public async Task A_table_with_dead_tuples_after_deletes_shows_them_with_a_verdict()
    {
        var report = await ReadAsync();
        var churn = Assert.Single(report.Tables, t => t.QualifiedName == "public.churn");
        Assert.True(churn.DeadTuples >= 3000, $"dead tuples {churn.DeadTuples}");
        var finding = Assert.Single(report.Findings, f => f.Check == DbHealthCheck.DeadTuples && f.Table == "public.churn");
        Assert.Equal(DbHealthVerdict.Critical, finding.Verdict); // 3000 of 5000 is past 30 %
        Assert.Contains("Invoke-DbMaintenance", finding.Recommendation);
        Assert.True(report.DeadTuples >= 3000);
    }

    [Fact]
    public async Task Works_as_a_login_without_pg_monitor_and_says_what_it_could_not_see()
    {
        var report = await ReadAsync();
        Assert.False(report.CanMonitor);
        Assert.Equal(_db.Database, report.Database);
        Assert.Contains(report.Restricted, r => r.Contains("numbackends", StringComparison.Ordinal));
        var connections = Assert.Single(report.Findings, f => f.Check == DbHealthCheck.Connections);
        Assert.True(connections.Value > 0);
        Assert.True(report.MaxConnections > 0);
        Assert.Contains(report.Findings, f => f.Check == DbHealthCheck.Wraparound && f.Target == _db.Database && f.Verdict == DbHealthVerdict.Ok);
        Assert.Contains(report.Findings, f => f.Check == DbHealthCheck.Replication && f.Message.Contains("No replicas", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Check == DbHealthCheck.CacheHitRatio);
    }

    [Fact]
    public async Task A_duplicate_index_is_found_and_names_the_one_it_duplicates()
    {
        var report = await ReadAsync();
        var dup = Assert.Single(report.Findings, f => f.Check == DbHealthCheck.DuplicateIndex);
        Assert.Equal("public.churn_v_b", dup.Index);
        Assert.Contains("public.churn_v_a", dup.Message);
        Assert.Equal(1, report.DuplicateIndexes);
    }

    [Fact]
    public async Task Unused_indexes_are_reported_but_never_a_primary_key()
    {
        var report = await ReadAsync();
        var unused = report.Findings.Where(f => f.Check == DbHealthCheck.UnusedIndex).Select(f => f.Index).ToList();
        Assert.Contains("public.churn_v_a", unused);
        Assert.Contains("public.churn_v_b", unused);
        Assert.DoesNotContain("public.churn_pkey", unused);
        Assert.DoesNotContain("public.property_embeddings_pkey", unused);
    }

    [Fact]
    public async Task Without_pgvector_the_vector_report_is_honest_and_finds_the_odd_dimension()
    {
        if (_db.PgVectorAvailable) return; // this server has pgvector: the real[] fallback is not what the platform would use here
        var report = await ReadAsync();
        var v = report.Vector!;
        Assert.True(v.TableExists);
        Assert.False(v.PgVectorInstalled);
        Assert.Equal("real[]", v.ColumnType);
        Assert.Null(v.IndexType);
        Assert.Equal(20L, v.Dimensions[4]);
        Assert.Equal(1L, v.Dimensions[3]);
        Assert.Null(v.RecallPercent);
        Assert.Contains("pgvector", v.RecallSkippedReason);
        Assert.Equal(DbHealthVerdict.Warning, report.Findings.Single(f => f.Check == DbHealthCheck.VectorColumn).Verdict);
        Assert.Equal(DbHealthVerdict.Skipped, report.Findings.Single(f => f.Check == DbHealthCheck.VectorIndex).Verdict);
        Assert.Equal(DbHealthVerdict.Critical, report.Findings.Single(f => f.Check == DbHealthCheck.VectorDimensions).Verdict);
        var recall = report.Findings.Single(f => f.Check == DbHealthCheck.VectorRecall);
        Assert.Equal(DbHealthVerdict.Skipped, recall.Verdict);
        Assert.Null(recall.Value);
    }

    [Fact]
    public async Task A_database_without_the_vector_table_skips_the_vector_checks()
    {
        var report = await ReadAsync(r => new DbHealthRequest { Connection = r.Connection, VectorTable = "no_such_embeddings" });
        Assert.False(report.Vector!.TableExists);
        Assert.Equal(DbHealthVerdict.Skipped, Assert.Single(report.Findings, f => f.Check == DbHealthCheck.VectorColumn).Verdict);
    }

    [Fact]
    public async Task A_long_transaction_of_the_same_role_is_found()
    {
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(DbConnectionTester.BuildConnectionString(await _db.RequestAsync()).ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await using (var begin = new NpgsqlCommand("begin; select txid_current();", holder)) await begin.ExecuteNonQueryAsync();
        var report = await ReadAsync(r => new DbHealthRequest { Connection = r.Connection, LongTransactionThreshold = TimeSpan.Zero });
        var pid = holder.ProcessID;
        var finding = Assert.Single(report.Findings, f => f.Check == DbHealthCheck.LongTransaction && f.Target == $"pid {pid}");
        Assert.Equal(DbHealthVerdict.Critical, finding.Verdict); // past four times a zero threshold
        Assert.Contains("Stop-DbQuery", finding.Recommendation);
    }

    [Fact]
    public void The_bloat_estimate_is_zero_for_a_packed_relation_and_the_excess_otherwise()
    {
        // 1000 rows of 36 bytes: 24 + 40 + 4 = 68 bytes per tuple, 120 per 8 KiB page, so 9 pages.
        Assert.Equal(0, PgBloatEstimate.Table(1000, 36, 9 * 8192, 8192));
        Assert.Equal(91 * 8192L, PgBloatEstimate.Table(1000, 36, 100 * 8192, 8192));
        Assert.Null(PgBloatEstimate.Table(-1, 36, 8192, 8192));
        Assert.Null(PgBloatEstimate.BTree(1000, null, 8192, 8192));
        Assert.Equal(50.0, PgBloatEstimate.Percent(50, 100));
    }
}
