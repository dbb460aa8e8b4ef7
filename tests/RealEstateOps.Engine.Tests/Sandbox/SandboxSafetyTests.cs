using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Sandbox;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Engine.Tests.Sandbox;

/// <summary>
/// The sandbox's process and file side: owner-only files and folders from their creation, nothing stopped, removed
/// or killed that the sandbox did not make or start, and no role or database altered that it did not create.
/// Each test works in a folder of its own under the temp folder; the only processes killed are the ones it starts.
/// </summary>
public sealed class SandboxSafetyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "reo-safety-" + Guid.NewGuid().ToString("N")[..8]);

    public SandboxSafetyTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Owner_only_files_and_folders_are_0600_and_0700()
    {
        if (OperatingSystem.IsWindows()) return;
        var folder = Path.Combine(_dir, "state", "sandbox");
        UnixFiles.EnsurePrivateFolder(folder, "Test");
        Assert.Equal(UnixFiles.OwnerOnlyFolder, File.GetUnixFileMode(folder));
        var file = Path.Combine(folder, "secret");
        FileUtil.WriteAtomic(file, "s3cret", ownerOnly: true);
        Assert.Equal(UnixFiles.OwnerOnlyFile, File.GetUnixFileMode(file));

        // An existing folder of ours is narrowed; a symlink in its place is refused.
        var loose = Path.Combine(_dir, "loose");
        Directory.CreateDirectory(loose);
        File.SetUnixFileMode(loose, (UnixFileMode)0x1ED); // 0755
        UnixFiles.EnsurePrivateFolder(loose, "Test");
        Assert.Equal(UnixFiles.OwnerOnlyFolder, File.GetUnixFileMode(loose));
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, loose);
        Assert.Equal("SandboxStateFolderNotOwned", Assert.Throws<OpsException>(() => UnixFiles.EnsurePrivateFolder(link, "SandboxStateFolderNotOwned")).ErrorId);
    }

    [Fact]
    public async Task An_unsafe_postgres_root_is_refused_before_anything_is_made()
    {
        var pwned = Path.Combine(_dir, "pwned");
        var root = Path.Combine(_dir, $"$(touch {pwned})", "pg");
        var ex = await Assert.ThrowsAsync<OpsException>(() => LocalPostgresServer.StartAsync(root));
        Assert.Equal("PostgresPathUnsafe", ex.ErrorId);
        Assert.False(File.Exists(pwned));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
        foreach (var bad in new[] { "a`b", "a\"b", "a'b", "a;b", "a&b", "a|b", "a<b", "a>b", "a(b", "a\nb", "a*b", "a\\b" })
            Assert.Equal("PostgresPathUnsafe", Assert.Throws<OpsException>(() => PgServerFolder.RequireSafePath("/tmp/" + bad)).ErrorId);
        PgServerFolder.RequireSafePath("/home/some user/.local/state/realestateops-1.2_x+y,z=w@v/sandbox");
    }

    [Fact]
    public async Task A_folder_without_our_marker_is_neither_reused_nor_stopped_nor_removed()
    {
        var planted = Path.Combine(_dir, "planted");
        Directory.CreateDirectory(Path.Combine(planted, "data"));
        File.WriteAllText(Path.Combine(planted, "keep.txt"), "mine");

        Assert.Equal("PostgresRootExists", (await Assert.ThrowsAsync<OpsException>(() => LocalPostgresServer.StartAsync(planted))).ErrorId);
        Assert.Equal("PostgresRootNotOwned", (await Assert.ThrowsAsync<OpsException>(() => PgServerFolder.StopAndRemoveAsync(planted))).ErrorId);

        // A marker with another id than the recorded one.
        File.WriteAllText(Path.Combine(planted, PgServerFolder.MarkerFileName), "someone-elses");
        if (ProcessRunner.IsRoot) await UnixFiles.ChownAsync(planted, PgServerFolder.SuperUser, "Test", CancellationToken.None);
        Assert.Equal("PostgresRootNotOwned", (await Assert.ThrowsAsync<OpsException>(() => PgServerFolder.StopAndRemoveAsync(planted, "recorded-id"))).ErrorId);

        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, planted);
        Assert.Equal("PostgresRootNotOwned", (await Assert.ThrowsAsync<OpsException>(() => PgServerFolder.StopAndRemoveAsync(link))).ErrorId);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(planted, "keep.txt")));

        // A record naming it: the record goes, the folder stays.
        var state = Path.Combine(_dir, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, PgServerFolder.RecordFileName), JsonSerializer.Serialize(new { root = planted, marker = "recorded-id" }));
        Assert.StartsWith("left ", await PgServerFolder.StopRecordedAsync(state, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(state, PgServerFolder.RecordFileName)));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(planted, "keep.txt")));
    }

    private (SandboxLauncher Launcher, string Folder) NewLauncher()
    {
        var paths = new OpsPaths(Path.Combine(_dir, "config"), Path.Combine(_dir, "data"), Path.Combine(_dir, "state"));
        Directory.CreateDirectory(paths.SandboxFolder);
        return (new SandboxLauncher(paths, new HttpClient { Timeout = TimeSpan.FromSeconds(5) }), paths.SandboxFolder);
    }

    private static void WriteState(string folder, Process process, long? ticks, string assembly) =>
        File.WriteAllText(Path.Combine(folder, "sandbox.json"), JsonSerializer.Serialize(new SandboxInstance
        {
            Url = $"http://127.0.0.1:{Ports.Free()}/", ProcessId = process.Id, ProcessStartTicks = ticks, SandboxAssembly = assembly, StateFolder = folder,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    [Fact]
    public async Task Stop_refuses_to_kill_a_process_that_is_not_the_recorded_sandbox()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (launcher, folder) = NewLauncher();
        var assembly = Path.Combine(_dir, "RealEstateOps.Sandbox.dll");
        using var sleep = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        try
        {
            var ticks = ProcessIdentity.StartTicks(sleep.Id);
            Assert.NotNull(ticks);
            foreach (var recorded in new long?[] { ticks, ticks + 1, null })
            {
                WriteState(folder, sleep, recorded, assembly);
                var ex = await Assert.ThrowsAsync<OpsException>(() => launcher.StopAsync(null, CancellationToken.None));
                Assert.Equal("SandboxProcessMismatch", ex.ErrorId);
                Assert.False(sleep.HasExited);
                Assert.True(File.Exists(Path.Combine(folder, "sandbox.json")));
            }
        }
        finally
        {
            if (!sleep.HasExited) sleep.Kill();
        }
    }

    [Fact]
    public async Task Stop_kills_the_recorded_sandbox_when_start_time_and_command_line_match()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (launcher, folder) = NewLauncher();
        var assembly = Path.Combine(_dir, "RealEstateOps.Sandbox.dll");
        // Stands in for the sandbox: its command line names the program and the state folder, as the launcher's does.
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", "sleep 300; :", assembly, "--state-dir", folder }) psi.ArgumentList.Add(a);
        using var standIn = Process.Start(psi)!;
        try
        {
            WriteState(folder, standIn, ProcessIdentity.StartTicks(standIn.Id), assembly);
            await launcher.StopAsync(null, CancellationToken.None);
            await standIn.WaitForExitAsync();
            Assert.True(standIn.HasExited);
            Assert.False(File.Exists(Path.Combine(folder, "sandbox.json")));
        }
        finally
        {
            if (!standIn.HasExited) standIn.Kill(entireProcessTree: true);
        }
    }

    private static async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(await TestPostgres.AdminConnectionStringAsync());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        var result = await cmd.ExecuteScalarAsync();
        return result is DBNull or null ? default : (T)result;
    }

    [Fact]
    public async Task A_role_or_database_the_sandbox_did_not_create_is_neither_altered_nor_seeded()
    {
        var admin = await TestPostgres.AdminConnectionStringAsync();
        var role = TestPostgres.UniqueName("safety_app");
        var database = TestPostgres.UniqueName("safety_db");
        var otherRole = TestPostgres.UniqueName("safety_app");
        await ScalarAsync<object>($"create role \"{role}\" login password 'theirs'");
        await ScalarAsync<object>($"create database \"{database}\"");
        try
        {
            var before = await ScalarAsync<string>("select rolpassword from pg_authid where rolname = @r", ("r", role));
            var ex = await Assert.ThrowsAsync<OpsException>(() => PlatformDatabase.EnsureAsync(admin, database, role, Path.Combine(_dir, "s1"), CancellationToken.None));
            Assert.Equal("SandboxRoleNotOwned", ex.ErrorId);
            Assert.Equal(before, await ScalarAsync<string>("select rolpassword from pg_authid where rolname = @r", ("r", role)));

            ex = await Assert.ThrowsAsync<OpsException>(() => PlatformDatabase.EnsureAsync(admin, database, otherRole, Path.Combine(_dir, "s2"), CancellationToken.None));
            Assert.Equal("SandboxDatabaseNotOwned", ex.ErrorId);
            Assert.Equal(0L, await ScalarAsync<long>("select count(*) from pg_roles where rolname = @r", ("r", otherRole)));
            var b = new NpgsqlConnectionStringBuilder(admin) { Database = database };
            await using (var conn = new NpgsqlConnection(b.ConnectionString))
            {
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("select count(*) from pg_tables where schemaname = 'public'", conn);
                Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
            }
        }
        finally
        {
            await ScalarAsync<object>($"drop database if exists \"{database}\"");
            await ScalarAsync<object>($"drop role if exists \"{role}\"");
            await ScalarAsync<object>($"drop role if exists \"{otherRole}\"");
        }
    }

    [Fact]
    public async Task What_the_sandbox_created_it_may_set_up_again_on_a_restart()
    {
        var admin = await TestPostgres.AdminConnectionStringAsync();
        var role = TestPostgres.UniqueName("safety_app");
        var database = TestPostgres.UniqueName("safety_db");
        try
        {
            var first = await PlatformDatabase.EnsureAsync(admin, database, role, Path.Combine(_dir, "s1"), CancellationToken.None);
            var again = await PlatformDatabase.EnsureAsync(admin, database, role, Path.Combine(_dir, "s1"), CancellationToken.None);
            Assert.NotEqual(first.Password, again.Password);
            Assert.Equal(PlatformDatabase.OwnershipMarker, await ScalarAsync<string>("select shobj_description(oid, 'pg_authid') from pg_roles where rolname = @r", ("r", role)));
            Assert.Equal(PlatformDatabase.OwnershipMarker, await ScalarAsync<string>("select shobj_description(oid, 'pg_database') from pg_database where datname = @d", ("d", database)));
            await using var conn = new NpgsqlConnection(again.AppConnectionString);
            await conn.OpenAsync();
        }
        finally
        {
            await ScalarAsync<object>($"drop database if exists \"{database}\" with (force)");
            await ScalarAsync<object>($"drop role if exists \"{role}\"");
        }
    }
}
