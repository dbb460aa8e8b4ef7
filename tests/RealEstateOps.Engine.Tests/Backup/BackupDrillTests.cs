using System.Text.Json.Nodes;
using Npgsql;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Postgres;
using RealEstateOps.Sandbox.Rds;

namespace RealEstateOps.Engine.Tests.Backup;

/// <summary>
/// Test-DbBackup's engine on the sandbox: a snapshot drill through a scratch RDS instance, export drills through scratch databases on the
/// real server (passing, a corrupted archive, counts that do not match the manifest), and a drill that finds its scratch name taken
/// leaves what it did not make alone.
/// </summary>
public class BackupDrillTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;
    private readonly RdsClient _rds;
    private readonly TempDir _temp = new();

    public BackupDrillTests(SandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _sandbox.Host.Context.Clock.Speed = 600;
        _rds = RdsClient.Create(sandbox.Target("rds"), new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 3 });
    }

    public void Dispose()
    {
        _rds.Dispose();
        _temp.Dispose();
    }

    private PlatformDatabase Platform => _sandbox.Host.Platform;

    private DbConnectionRequest Login(string? database = null) => new()
    {
        Host = Platform.Host, Port = Platform.Port, Database = database ?? Platform.Database, User = Platform.User, PassFile = Platform.PassFile, Timeout = TimeSpan.FromSeconds(10),
    };

    private async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var conn = new NpgsqlConnection(await TestPostgres.AdminConnectionStringAsync());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select exists(select 1 from pg_database where datname = @d)", conn);
        cmd.Parameters.AddWithValue("d", name);
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<string> ExportAsync(string name)
    {
        var path = Path.Combine(_temp.Path, name + ".dump");
        await DatabaseExporter.ExportAsync(new ExportRequest { Connection = Login(), Destination = BackupLocation.Parse(path) }, default);
        return path;
    }

    [Fact]
    public async Task A_snapshot_drill_restores_a_tagged_scratch_instance_checks_it_and_deletes_it()
    {
        var drillId = BackupDrill.NewDrillId();
        var drill = new BackupDrill(_rds, null, null);
        var request = new BackupDrillRequest { Kind = BackupDrillKind.Snapshot, SourceDbInstanceId = RdsService.SeedInstanceId, Connection = Login(), RestoreTimeout = TimeSpan.FromMinutes(5) };
        var result = await drill.RunAsync(request, drillId, null, null, default);

        Assert.True(result.Passed, string.Join("; ", result.Checks.Select(c => $"{c.Name} {c.Verdict} {c.Detail}")));
        Assert.Equal(BackupDrill.ScratchInstanceId(RdsService.SeedInstanceId, drillId), result.Scratch);
        Assert.StartsWith("rds:" + RdsService.SeedInstanceId, result.Backup);
        Assert.Equal(new[] { "Restore", "Tables", "RowCounts", "Indexes", "IndexIntegrity" }, result.Checks.Take(5).Select(c => c.Name));
        Assert.Equal(RestoredDatabaseChecker.PlatformSmokeQueries.Count, result.Checks.Count(c => c.Name.StartsWith("Smoke:", StringComparison.Ordinal)));
        Assert.Equal(BackupDrillVerdict.Info, result.Checks.Single(c => c.Name == "RowCounts").Verdict); // a snapshot records no counts
        foreach (var (table, rows) in PlatformDatabase.SeedCounts)
            Assert.True(result.Tables.Single(t => t.Table == "public." + table).RestoredRows >= rows, table);

        Assert.True(result.ScratchRemoved, result.ScratchNote);
        var scratch = (await _rds.DescribeDBInstancesAsync(null, null, null, default)).Items.SingleOrDefault(i => i.DbInstanceId == result.Scratch);
        Assert.True(scratch is null || scratch.Status == "deleting", scratch?.Status);
    }

    [Fact]
    public async Task DeleteDBInstance_refuses_a_protected_instance_and_one_without_a_final_snapshot_decision()
    {
        var protectedOne = await Assert.ThrowsAsync<OpsException>(() => _rds.DeleteDBInstanceAsync(RdsService.SeedInstanceId, true, null, null, default));
        Assert.Equal("InvalidParameterCombination", protectedOne.ErrorId);
        Assert.Contains("deletion protection", protectedOne.Message);
        var missing = await Assert.ThrowsAsync<OpsException>(() => _rds.DeleteDBInstanceAsync("no-such-instance", true, null, null, default));
        Assert.Equal("DBInstanceNotFound", missing.ErrorId);
        Assert.Equal("available", (await _rds.DescribeDBInstancesAsync(RdsService.SeedInstanceId, null, null, default)).Items.Single().Status);
    }

    [Fact]
    public async Task An_export_drill_compares_every_tables_rows_with_the_manifest_and_drops_its_scratch_database()
    {
        var path = await ExportAsync("good");
        var drillId = BackupDrill.NewDrillId();
        var result = await new BackupDrill(null, null, null).RunAsync(
            new BackupDrillRequest { Kind = BackupDrillKind.Export, Export = BackupLocation.Parse(path), Connection = Login() }, drillId, null, null, default);

        Assert.True(result.Passed, string.Join("; ", result.Checks.Select(c => $"{c.Name} {c.Verdict} {c.Detail}")));
        Assert.Equal(BackupDrillVerdict.Pass, result.Checks.Single(c => c.Name == "RowCounts").Verdict);
        Assert.All(result.Tables, t => Assert.True(t.ExpectedRows is not null && t.Matches, t.Table));
        Assert.Equal(result.RowsExpected, result.RowsRestored);
        Assert.NotNull(result.BackupTime);
        Assert.True(result.ScratchRemoved);
        Assert.False(await DatabaseExistsAsync(BackupDrill.ScratchDatabaseName(drillId)));
    }

    [Fact]
    public async Task A_corrupted_export_fails_the_restore_check_and_counts_that_differ_fail_the_row_check()
    {
        var path = await ExportAsync("corrupt");
        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++) bytes[i] ^= 0x5a;
        await File.WriteAllBytesAsync(path, bytes);
        var drillId = BackupDrill.NewDrillId();
        var result = await new BackupDrill(null, null, null).RunAsync(
            new BackupDrillRequest { Kind = BackupDrillKind.Export, Export = BackupLocation.Parse(path), Connection = Login() }, drillId, null, null, default);
        Assert.False(result.Passed);
        var restore = result.Checks.Single(c => c.Name == "Restore");
        Assert.Equal((BackupDrillVerdict.Fail, "BackupChecksumMismatch"), (restore.Verdict, restore.ErrorId));
        Assert.False(await DatabaseExistsAsync(BackupDrill.ScratchDatabaseName(drillId)));

        // An intact archive whose manifest says one table had more rows at backup time: the restore lost rows.
        var other = await ExportAsync("counts");
        var manifestPath = other + ExportManifest.SidecarSuffix;
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        var table = manifest["tables"]!.AsArray().First(t => (string)t!["name"]! == "public.properties")!;
        table["rows"] = (long)table["rows"]! + 5;
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        result = await new BackupDrill(null, null, null).RunAsync(
            new BackupDrillRequest { Kind = BackupDrillKind.Export, Export = BackupLocation.Parse(other), Connection = Login() }, BackupDrill.NewDrillId(), null, null, default);
        var rows = result.Checks.Single(c => c.Name == "RowCounts");
        Assert.Equal(BackupDrillVerdict.Fail, rows.Verdict);
        Assert.Contains("public.properties", rows.Detail);
        Assert.False(result.Tables.Single(t => t.Table == "public.properties").Matches);
    }

    [Fact]
    public async Task A_drill_whose_scratch_name_is_taken_makes_and_removes_nothing()
    {
        var path = await ExportAsync("taken");
        var drillId = BackupDrill.NewDrillId();
        var name = BackupDrill.ScratchDatabaseName(drillId);
        await using (var conn = new NpgsqlConnection(await TestPostgres.AdminConnectionStringAsync()))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        try
        {
            var refused = await Assert.ThrowsAsync<OpsException>(() => new BackupDrill(null, null, null).RunAsync(
                new BackupDrillRequest { Kind = BackupDrillKind.Export, Export = BackupLocation.Parse(path), Connection = Login() }, drillId, null, null, default));
            Assert.Equal("DbBackupScratchNotCreated", refused.ErrorId);
            Assert.True(await DatabaseExistsAsync(name), "the drill dropped a database it did not make");
        }
        finally
        {
            await using var conn = new NpgsqlConnection(await TestPostgres.AdminConnectionStringAsync());
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"drop database if exists {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
