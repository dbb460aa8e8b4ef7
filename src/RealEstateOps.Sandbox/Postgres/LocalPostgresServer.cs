using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Sandbox.Postgres;

/// <summary>
/// A throwaway PostgreSQL server in a folder of its own, on loopback, with password authentication:
/// what the test run and the sandbox start when they are not pointed at a server. PostgreSQL
/// refuses to run as root, so as root it runs as the 'postgres' user (which Debian's package creates).
/// </summary>
/// <remarks>
/// The folder is made new (mkdir fails on anything already there), 0700 from the start, and as root given
/// to 'postgres' before any secret is written into it. It carries a marker file (a random id, 0600, owned by
/// this user) that <see cref="PgServerFolder.StopAndRemoveAsync"/> checks, with the folder's owner and type, before
/// it stops a server there or removes anything: a folder someone else made is never touched.
/// </remarks>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private LocalPostgresServer(string binDir, string root, int port, string password, string marker)
    {
        BinDir = binDir;
        Root = root;
        Port = port;
        Password = password;
        Marker = marker;
    }

    public string BinDir { get; }
    /// <summary>The folder holding data/, the socket and the server log.</summary>
    public string Root { get; }
    public string DataDir => PgServerFolder.DataDir(Root);
    public string LogFile => PgServerFolder.LogFile(Root);
    public string Host => "127.0.0.1";
    public int Port { get; }
    public string Password { get; }
    /// <summary>The random id in <see cref="Root"/>'s marker file.</summary>
    public string Marker { get; }

    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host, Port = Port, Username = PgServerFolder.SuperUser, Password = Password, Database = "postgres", Pooling = false,
    }.ConnectionString;

    /// <summary>The folder the server archives its WAL into (archive_mode on), when it was started with WAL archiving; else null.</summary>
    public string? WalArchive { get; private set; }

    /// <summary>Initialises and starts a server in <paramref name="root"/>, which must not exist yet (its parent may).</summary>
    /// <param name="archiveWal">Archive every WAL segment into <see cref="WalArchive"/> (a 0700 folder in <paramref name="root"/>), for point-in-time recovery.</param>
    public static async Task<LocalPostgresServer> StartAsync(string root, int port = 0, CancellationToken cancellationToken = default, bool archiveWal = false)
    {
        root = Path.GetFullPath(root);
        PgServerFolder.RequireSafePath(root);
        var bin = PgServerFolder.FindBinDir() ?? throw new OpsException("PostgresNotInstalled", OpsErrorCategory.NotInstalled,
            "PostgreSQL's server programs (initdb, pg_ctl) were not found. Install Debian's 'postgresql' package or set REALESTATEOPS_PG_BIN.");
        PgServerFolder.RequireSafePath(Path.GetFullPath(bin), "PostgreSQL program folder");
        if (port == 0) port = Ports.Free();
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var marker = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var server = new LocalPostgresServer(bin, root, port, password, marker);
        if (archiveWal) server.WalArchive = Path.Combine(root, "wal-archive");
        await server.InitAndStartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    private async Task InitAndStartAsync(CancellationToken ct)
    {
        // Parents hold nothing secret (and, as root, 'postgres' must be able to pass through them).
        Directory.CreateDirectory(Path.GetDirectoryName(Root)!);
        UnixFiles.CreateNewPrivateFolder(Root, "PostgresRootExists");
        try
        {
            // As root the folder is postgres's before anything is written in it; the marker stays ours (root's).
            if (ProcessRunner.IsRoot) await UnixFiles.ChownAsync(Root, PgServerFolder.SuperUser, "PostgresUserMissing", ct).ConfigureAwait(false);
            UnixFiles.WriteNewPrivateFile(Path.Combine(Root, PgServerFolder.MarkerFileName), Marker + "\n");
            var pwFile = Path.Combine(Root, "initdb.pw");
            UnixFiles.WriteNewPrivateFile(pwFile, Password + "\n");
            try
            {
                if (ProcessRunner.IsRoot) await UnixFiles.ChownAsync(pwFile, PgServerFolder.SuperUser, "PostgresUserMissing", ct).ConfigureAwait(false);
                await PgServerFolder.RunAsync(BinDir, Root, "initdb",
                    new[] { "-D", DataDir, "-U", PgServerFolder.SuperUser, "--auth=scram-sha-256", $"--pwfile={pwFile}", "-E", "UTF8", "--locale=C", "--no-sync" }, ct)
                    .ConfigureAwait(false);
            }
            finally
            {
                File.Delete(pwFile);
            }
            if (WalArchive is { } archive) await EnableArchivingAsync(archive, ct).ConfigureAwait(false);
            // pg_ctl hands -o to /bin/sh unquoted: the (already checked) socket folder is single-quoted too.
            await PgServerFolder.RunAsync(BinDir, Root, "pg_ctl", new[] { "-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o", Options(), "start" }, ct).ConfigureAwait(false);
        }
        catch
        {
            // The folder is the one just made here: stop whatever started in it and remove it.
            try { await StopAsync(CancellationToken.None).ConfigureAwait(false); } catch (OpsException) { }
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>
    /// WAL archiving into <paramref name="archive"/> (made new, 0700, the server user's): archive_mode on and an archive_command that
    /// never overwrites a segment, in the data folder's postgresql.conf (the folder was checked by <see cref="PgServerFolder.RequireSafePath"/>).
    /// </summary>
    private async Task EnableArchivingAsync(string archive, CancellationToken ct)
    {
        UnixFiles.CreateNewPrivateFolder(archive, "PostgresRootExists");
        if (ProcessRunner.IsRoot) await UnixFiles.ChownAsync(archive, PgServerFolder.SuperUser, "PostgresUserMissing", ct).ConfigureAwait(false);
        await File.AppendAllTextAsync(Path.Combine(DataDir, "postgresql.conf"),
            "\n# RealEstateOps sandbox: WAL archiving for point-in-time restores\n" +
            "wal_level = replica\narchive_mode = on\n" +
            $"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'\n", ct).ConfigureAwait(false);
    }

    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal) { ["max_connections"] = "200" };
    private readonly SemaphoreSlim _restartGate = new(1, 1);

    /// <summary>The server's command line options; pg_ctl hands -o to /bin/sh unquoted, so the (already checked) socket folder is single-quoted and settings are checked (<see cref="RestartAsync"/>).</summary>
    private string Options()
    {
        lock (_settings)
            return $"-p {Port} -k '{Root}' -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" +
                   string.Concat(_settings.Select(kv => $" -c {kv.Key}={kv.Value}"));
    }

    /// <summary>A setting the server was started with on its command line (which wins over ALTER SYSTEM), e.g. max_connections.</summary>
    public string? StartSetting(string name)
    {
        lock (_settings) return _settings.GetValueOrDefault(name);
    }

    /// <summary>
    /// Restarts the server (pg_ctl restart, fast shutdown: every connection ends) with <paramref name="settings"/> on its command line
    /// as well (they win over the configuration files). Names and values are letters, digits and . _ - only.
    /// </summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        foreach (var (k, v) in settings)
            if (!System.Text.RegularExpressions.Regex.IsMatch(k, "^[a-z_][a-z0-9_.]*$") || !System.Text.RegularExpressions.Regex.IsMatch(v, "^[A-Za-z0-9_.-]+$"))
                throw new ArgumentException($"Setting {k}={v} is not one the sandbox passes to the server's command line.");
        await _restartGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            lock (_settings)
                foreach (var (k, v) in settings) _settings[k] = v;
            await PgServerFolder.RunAsync(BinDir, Root, "pg_ctl", new[] { "-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-m", "fast", "-o", Options(), "restart" }, ct).ConfigureAwait(false);
        }
        finally
        {
            _restartGate.Release();
        }
    }

    private Task StopAsync(CancellationToken cancellationToken) => PgServerFolder.StopServerAsync(BinDir, Root, cancellationToken);

    /// <summary>Records this server (root and marker) in <paramref name="folder"/>, owner-only, for <see cref="PgServerFolder.StopRecordedAsync"/>.</summary>
    public void WriteRecord(string folder) => PgServerFolder.WriteRecord(folder, Root, Marker, Port);

    public async ValueTask DisposeAsync()
    {
        try { await PgServerFolder.StopAndRemoveAsync(Root, Marker).ConfigureAwait(false); }
        catch (OpsException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
