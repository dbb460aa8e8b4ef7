using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// What the RDS sandbox does on the real PostgreSQL server: a snapshot is a pg_dump (custom format)
/// of the instance's database into the sandbox's state folder; a restore creates a new database and
/// pg_restores the snapshot into it, owned by the same master user. The admin password reaches
/// pg_dump and pg_restore through a password file (PGPASSFILE), never their arguments.
/// </summary>
internal sealed class RdsPostgres
{
    private readonly NpgsqlConnectionStringBuilder _admin;
    private readonly string _folder;
    private readonly string _passFile;
    private readonly string _bin;

    public RdsPostgres(string adminConnectionString, string stateDir)
    {
        _admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false };
        _folder = Path.Combine(stateDir, "rds");
        var snapshots = Directory.CreateDirectory(Path.Combine(_folder, "snapshots"));
        // Dumps of an earlier sandbox in this state folder: its snapshots lived in its memory and are gone.
        foreach (var stale in snapshots.EnumerateFiles("*.dump*", SearchOption.TopDirectoryOnly)) stale.Delete();
        _passFile = Path.Combine(_folder, "admin.pgpass");
        FileUtil.WriteAtomic(_passFile, $"*:{_admin.Port}:*:{Escape(_admin.Username!)}:{Escape(_admin.Password ?? "")}\n", ownerOnly: true);
        _bin = PgServerFolder.FindBinDir() ?? throw new OpsException("PostgresNotInstalled", OpsErrorCategory.NotInstalled,
            "The RDS sandbox needs PostgreSQL's pg_dump and pg_restore; install Debian's 'postgresql' package or set REALESTATEOPS_PG_BIN.");
    }

    public string Host => _admin.Host ?? "127.0.0.1";
    public int Port => _admin.Port;

    public string NewDumpPath() => Path.Combine(_folder, "snapshots", Guid.NewGuid().ToString("N") + ".dump");

    private static string Escape(string field) => field.Replace("\\", "\\\\").Replace(":", "\\:");

    private Dictionary<string, string?> Env() => new() { ["PGPASSFILE"] = _passFile, ["PGPASSWORD"] = null, ["PGCONNECT_TIMEOUT"] = "10" };

    public async Task DumpAsync(string database, string file, CancellationToken ct)
    {
        var partial = file + ".partial";
        var r = await ProcessRunner.RunAsync(Path.Combine(_bin, "pg_dump"),
            new[] { "-h", Host, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", _admin.Username!, "-d", database, "-Fc", "-Z", "1", "-f", partial },
            Env(), cancellationToken: ct).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            File.Delete(partial);
            throw new InvalidOperationException($"pg_dump of {database} failed: {r.StdErr.Trim()}");
        }
        File.Move(partial, file, overwrite: true);
    }

    /// <summary>A plain-format base backup of the whole server into <paramref name="folder"/> (new), with the WAL it needs (pg_basebackup -X stream, fast checkpoint).</summary>
    public async Task BaseBackupAsync(string folder, CancellationToken ct)
    {
        var r = await ProcessRunner.RunAsync(Path.Combine(_bin, "pg_basebackup"),
            new[] { "-h", Host, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", _admin.Username!, "-w", "-D", folder, "-Fp", "-X", "stream", "-c", "fast", "--no-sync" },
            Env(), cancellationToken: ct).ConfigureAwait(false);
        if (r.ExitCode != 0) throw new InvalidOperationException($"pg_basebackup failed: {r.StdErr.Trim()}");
    }

    /// <summary>
    /// Makes the WAL up to now restorable: a committed transaction (so that a recovery target before now is reached by a commit record
    /// after it), pg_switch_wal(), then waits (at most <paramref name="timeout"/>) until the archiver has archived that segment.
    /// </summary>
    public async Task ArchiveWalUpToNowAsync(TimeSpan timeout, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(_admin.ConnectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using (var commit = new NpgsqlCommand("select pg_current_xact_id()", conn)) await commit.ExecuteScalarAsync(ct).ConfigureAwait(false);
        string segment;
        await using (var cmd = new NpgsqlCommand("select pg_walfile_name(pg_switch_wal())", conn))
            segment = (string)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var check = new NpgsqlCommand("select coalesce(last_archived_wal, ''), coalesce(last_failed_wal, '') from pg_stat_archiver", conn);
            await using var reader = await check.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            var archived = reader.GetString(0);
            if (archived.Length >= 24 && string.CompareOrdinal(archived[..24], segment) >= 0) return;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"WAL segment {segment} was not archived within {timeout.TotalSeconds:0} s (last archived: {archived}, last failed: {reader.GetString(1)}).");
            await reader.DisposeAsync().ConfigureAwait(false);
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    /// <summary>pg_dump of <paramref name="database"/> from another server on this host (a recovery server) as the admin user, its password in a pgpass file of its own.</summary>
    public async Task DumpFromAsync(int port, string database, string file, CancellationToken ct)
    {
        var passFile = Path.Combine(_folder, $"recovery-{Guid.NewGuid():N}.pgpass");
        FileUtil.WriteAtomic(passFile, $"*:{port}:*:{Escape(_admin.Username!)}:{Escape(_admin.Password ?? "")}\n", ownerOnly: true);
        try
        {
            var partial = file + ".partial";
            var r = await ProcessRunner.RunAsync(Path.Combine(_bin, "pg_dump"),
                new[] { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", _admin.Username!, "-d", database, "-Fc", "-Z", "1", "-f", partial },
                new Dictionary<string, string?> { ["PGPASSFILE"] = passFile, ["PGPASSWORD"] = null, ["PGCONNECT_TIMEOUT"] = "10" }, cancellationToken: ct).ConfigureAwait(false);
            if (r.ExitCode != 0)
            {
                File.Delete(partial);
                throw new InvalidOperationException($"pg_dump of {database} from the recovery server failed: {r.StdErr.Trim()}");
            }
            File.Move(partial, file, overwrite: true);
        }
        finally
        {
            File.Delete(passFile);
        }
    }

    /// <summary>
    /// Whether the server on <paramref name="port"/> (a recovery server of this server's cluster, so the same admin password) accepts
    /// connections and has left recovery: null while it refuses them (still recovering, hot standby off), else pg_is_in_recovery() negated.
    /// </summary>
    public async Task<bool?> IsPromotedAsync(int port, CancellationToken ct)
    {
        try
        {
            await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Host = "127.0.0.1", Port = port, Database = "postgres", Timeout = 5 }.ConnectionString);
            await conn.OpenAsync(ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand("select pg_is_in_recovery()", conn);
            return !(bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        catch (NpgsqlException) { return null; }
    }

    /// <summary>PostgreSQL's programs (pg_ctl, pg_basebackup, ...).</summary>
    public string BinDir => _bin;

    public async Task RestoreAsync(string file, string database, string owner, CancellationToken ct)
    {
        await ExecAsync("postgres", $"create database {Ident(database)} owner {Ident(owner)}", ct).ConfigureAwait(false);
        var r = await ProcessRunner.RunAsync(Path.Combine(_bin, "pg_restore"),
            new[] { "-h", Host, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", _admin.Username!, "-d", database, "--exit-on-error", "-j", "2", file },
            Env(), cancellationToken: ct).ConfigureAwait(false);
        if (r.ExitCode != 0) throw new InvalidOperationException($"pg_restore into {database} failed: {r.StdErr.Trim()}");
    }

    /// <summary>
    /// A name for a restore's new database: the instance id, unless the server already has a database of that name (one a
    /// sandbox that shared this server left, or someone else's, never touched); then the id with a short random suffix.
    /// </summary>
    public string FreeDatabaseName(string instanceId)
    {
        using var conn = new NpgsqlConnection(_admin.ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand("select exists(select 1 from pg_database where datname = @d)", conn);
        var name = instanceId;
        for (var attempt = 0; ; attempt++)
        {
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("d", name);
            if (!(bool)cmd.ExecuteScalar()! || attempt == 5) return name;
            var suffix = "-" + Guid.NewGuid().ToString("N")[..6];
            name = instanceId[..Math.Min(instanceId.Length, 63 - suffix.Length)] + suffix;
        }
    }

    public async Task<long> DatabaseSizeAsync(string database, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(_admin.ConnectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("select coalesce(pg_database_size(@d), 0)", conn);
        cmd.Parameters.AddWithValue("d", database);
        return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>The server's log files: pg_ctl's log beside the data folder, and the logging collector's files when it is on.</summary>
    public async Task<IReadOnlyList<(string Name, string Path)>> LogFilesAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(_admin.ConnectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("select current_setting('data_directory'), current_setting('logging_collector'), current_setting('log_directory')", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var dataDir = reader.GetString(0);
        var collector = reader.GetString(1) == "on";
        var logDir = reader.GetString(2);
        var files = new List<(string, string)>();
        var serverLog = Path.Combine(Path.GetDirectoryName(dataDir.TrimEnd('/')) ?? dataDir, "server.log");
        if (File.Exists(serverLog)) files.Add(("error/postgresql.log", serverLog));
        if (collector)
        {
            var dir = Path.IsPathRooted(logDir) ? logDir : Path.Combine(dataDir, logDir);
            if (Directory.Exists(dir))
                foreach (var f in Directory.EnumerateFiles(dir).OrderBy(f => f, StringComparer.Ordinal))
                    files.Add(("error/" + Path.GetFileName(f), f));
        }
        return files;
    }

    /// <summary>Drops a restored instance's database (WITH (FORCE): its sessions end, as the instance's would); never the platform's.</summary>
    public Task DropDatabaseAsync(string database, CancellationToken ct) =>
        ExecAsync("postgres", $"drop database if exists {Ident(database)} with (force)", ct);

    private async Task ExecAsync(string database, string sql, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database }.ConnectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
