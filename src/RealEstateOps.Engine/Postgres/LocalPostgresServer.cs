using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// A throwaway PostgreSQL server in a folder of its own, on loopback, with password authentication:
/// what the test run and the sandbox start when they are not pointed at a server. PostgreSQL
/// refuses to run as root, so as root it runs as the 'postgres' user (which Debian's package creates).
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    public const string SuperUser = "postgres";

    private LocalPostgresServer(string binDir, string root, int port, string password)
    {
        BinDir = binDir;
        Root = root;
        Port = port;
        Password = password;
    }

    public string BinDir { get; }
    /// <summary>The folder holding data/, the socket and the server log.</summary>
    public string Root { get; }
    public string DataDir => Path.Combine(Root, "data");
    public string LogFile => Path.Combine(Root, "server.log");
    public string Host => "127.0.0.1";
    public int Port { get; }
    public string Password { get; }

    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host, Port = Port, Username = SuperUser, Password = Password, Database = "postgres", Pooling = false,
    }.ConnectionString;

    /// <summary>Where PostgreSQL's programs are: REALESTATEOPS_PG_BIN, the newest /usr/lib/postgresql/N/bin, or initdb on PATH.</summary>
    public static string? FindBinDir()
    {
        var fromEnv = Environment.GetEnvironmentVariable("REALESTATEOPS_PG_BIN");
        if (!string.IsNullOrWhiteSpace(fromEnv) && File.Exists(Path.Combine(fromEnv, "initdb"))) return fromEnv;
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var best = Directory.EnumerateDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (best.Dir is not null) return best.Dir;
        }
        var initdb = ProcessRunner.Which("initdb");
        return initdb is null ? null : Path.GetDirectoryName(initdb);
    }

    public static async Task<LocalPostgresServer> StartAsync(string root, int port = 0, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDir() ?? throw new OpsException("PostgresNotInstalled", OpsErrorCategory.NotInstalled,
            "PostgreSQL's server programs (initdb, pg_ctl) were not found. Install Debian's 'postgresql' package or set REALESTATEOPS_PG_BIN.");
        if (port == 0) port = Ports.Free();
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var server = new LocalPostgresServer(bin, Path.GetFullPath(root), port, password);
        await server.InitAndStartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    private async Task InitAndStartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Root);
        var pwFile = Path.Combine(Root, "initdb.pw");
        await File.WriteAllTextAsync(pwFile, Password + "\n", ct).ConfigureAwait(false);
        try
        {
            if (ProcessRunner.IsRoot)
            {
                var chown = await ProcessRunner.RunAsync("chown", new[] { "-R", $"{SuperUser}:", Root }, cancellationToken: ct).ConfigureAwait(false);
                if (chown.ExitCode != 0)
                    throw new OpsException("PostgresUserMissing", OpsErrorCategory.NotInstalled,
                        $"Running as root, PostgreSQL must run as the '{SuperUser}' user, and giving it '{Root}' failed: {chown.StdErr.Trim()} (Debian's 'postgresql' package creates that user.)");
            }
            await RunPgAsync("initdb", new[] { "-D", DataDir, "-U", SuperUser, "--auth=scram-sha-256", $"--pwfile={pwFile}", "-E", "UTF8", "--locale=C", "--no-sync" }, ct)
                .ConfigureAwait(false);
        }
        finally
        {
            File.Delete(pwFile);
        }
        var options = $"-p {Port} -k {Root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200";
        await RunPgAsync("pg_ctl", new[] { "-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o", options, "start" }, ct).ConfigureAwait(false);
    }

    private async Task RunPgAsync(string program, IEnumerable<string> args, CancellationToken ct)
    {
        var exe = Path.Combine(BinDir, program);
        var result = ProcessRunner.IsRoot
            ? await ProcessRunner.RunAsync("runuser", new[] { "-u", SuperUser, "--", exe }.Concat(args), workingDirectory: Root, cancellationToken: ct).ConfigureAwait(false)
            : await ProcessRunner.RunAsync(exe, args, workingDirectory: Root, cancellationToken: ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? File.ReadLines(LogFile).TakeLast(10) : Array.Empty<string>();
            throw new OpsException("PostgresStartFailed", OpsErrorCategory.ResourceUnavailable,
                $"{program} failed (exit {result.ExitCode}): {(result.StdErr + result.StdOut).Trim()} {string.Join(" ", log)}".Trim());
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(DataDir, "postmaster.pid"))) return;
        await RunPgAsync("pg_ctl", new[] { "-D", DataDir, "-m", "fast", "-w", "stop" }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops a server started earlier in <paramref name="root"/> (by this or another process) and removes the folder.</summary>
    public static async Task StopAndRemoveAsync(string root, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDir();
        if (bin is not null)
        {
            var server = new LocalPostgresServer(bin, Path.GetFullPath(root), 0, "");
            try { await server.StopAsync(cancellationToken).ConfigureAwait(false); }
            catch (OpsException) { /* not running, or already stopping: the folder goes anyway */ }
        }
        try { Directory.Delete(root, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
