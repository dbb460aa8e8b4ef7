using Microsoft.Extensions.Logging;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Sandbox.Control;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// Point-in-time recovery over the real PostgreSQL server, when the sandbox runs its own (started with WAL archiving): base backups
/// (pg_basebackup) at start and at each daily automated backup, and a restore that copies the newest base backup before the target
/// into a temporary 0700 folder with a marker, starts a recovery server on a free loopback port that replays the archived WAL up to
/// the target's real time (the sandbox clock's mapping, <see cref="SandboxClock.ToRealTime"/>) and promotes, dumps the instance's
/// database from it, and stops it and removes only its own folder. An external server (REALESTATEOPS_SANDBOX_PG) cannot be given
/// WAL archiving: <see cref="ReplaysWal"/> is false and the store restores the newest snapshot at or before the time instead.
/// </summary>
internal sealed class RdsPointInTime
{
    private const string RecoveryFolderPrefix = "realestateops-sandbox-pitr-";

    private readonly LocalPostgresServer? _own;
    private readonly RdsPostgres _pg;
    private readonly SandboxClock _clock;
    private readonly string _backupFolder;
    private readonly string _stateDir;
    private readonly ILogger? _log;
    private readonly List<RdsBaseBackup> _backups = new();
    private readonly SemaphoreSlim _work = new(1, 1);
    private Task _first = Task.CompletedTask;

    public RdsPointInTime(LocalPostgresServer? own, RdsPostgres pg, SandboxClock clock, string stateDir, ILogger? log)
    {
        _own = own?.WalArchive is null ? null : own;
        _pg = pg;
        _clock = clock;
        _stateDir = stateDir;
        _log = log;
        _backupFolder = Path.Combine(stateDir, "rds", "base-backups");
        if (_own is not null)
        {
            UnixFiles.EnsurePrivateFolder(_backupFolder, "SandboxStateDirNotOwned");
            // Base backups of an earlier sandbox in this state folder: its WAL archive went with its server.
            foreach (var stale in Directory.EnumerateDirectories(_backupFolder)) Directory.Delete(stale, recursive: true);
        }
    }

    /// <summary>The sandbox's own server archives its WAL: restores replay it to the requested time.</summary>
    public bool ReplaysWal => _own is not null;

    /// <summary>The first base backup, in the background (restores wait for it).</summary>
    public void Start()
    {
        if (ReplaysWal) _first = Task.Run(() => TakeBaseBackupAsync(CancellationToken.None));
    }

    /// <summary>A base backup of the whole server, recorded with the sandbox time it was taken and the real time it ended; old ones expire.</summary>
    public async Task TakeBaseBackupAsync(CancellationToken ct, TimeSpan? keep = null)
    {
        if (!ReplaysWal) return;
        await _work.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var at = _clock.UtcNow;
            var folder = Path.Combine(_backupFolder, Guid.NewGuid().ToString("N"));
            await _pg.BaseBackupAsync(folder, ct).ConfigureAwait(false);
            var backup = new RdsBaseBackup(folder, at, DateTimeOffset.UtcNow);
            List<RdsBaseBackup> expired;
            lock (_backups)
            {
                _backups.Add(backup);
                // Kept: those inside the retention, and the newest one before it (it serves the times between).
                var cutoff = at - (keep ?? TimeSpan.FromDays(35));
                var older = _backups.Where(b => b.Simulated < cutoff).OrderBy(b => b.Simulated).ToList();
                expired = older.Take(Math.Max(0, older.Count - 1)).ToList();
                foreach (var b in expired) _backups.Remove(b);
            }
            foreach (var b in expired)
                try { Directory.Delete(b.Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            _log?.LogInformation("Base backup for point-in-time restores at {At:u} ({Count} kept)", at, _backups.Count);
        }
        finally
        {
            _work.Release();
        }
    }

    /// <summary>
    /// A pg_dump of <paramref name="database"/> as it was at sandbox time <paramref name="at"/>, into <paramref name="dumpFile"/>: the WAL up
    /// to now is archived, the newest base backup that ended before the target is recovered to the target's real time in a temporary server.
    /// </summary>
    public async Task DumpAtAsync(string database, DateTimeOffset at, string dumpFile, CancellationToken ct)
    {
        if (_own is null) throw new InvalidOperationException("Point-in-time recovery needs the sandbox's own PostgreSQL server.");
        await _first.ConfigureAwait(false);
        await _pg.ArchiveWalUpToNowAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
        var realTarget = _clock.ToRealTime(at);
        RdsBaseBackup backup;
        lock (_backups)
        {
            backup = _backups.Where(b => b.RealEnd <= realTarget).OrderBy(b => b.RealEnd).LastOrDefault()
                     ?? _backups.OrderBy(b => b.RealEnd).FirstOrDefault()
                     ?? throw new InvalidOperationException("There is no base backup to recover from.");
        }
        // A target before the first base backup ended is before the sandbox started: the data then was the data at its start.
        var target = backup.RealEnd <= realTarget
            ? $"recovery_target_time = '{realTarget.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'"
            : "recovery_target = 'immediate'";
        await _work.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await RecoverAsync(backup, target, database, dumpFile, ct).ConfigureAwait(false);
        }
        finally
        {
            _work.Release();
        }
        _log?.LogInformation("Point-in-time restore of {Database} to {At:u} (real {Real:O}) from the base backup of {Backup:u}, WAL replayed ({Target})",
            database, at, realTarget, backup.Simulated, target);
    }

    private async Task RecoverAsync(RdsBaseBackup backup, string target, string database, string dumpFile, CancellationToken ct)
    {
        var suffix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var root = ProcessRunner.IsRoot
            ? Path.Combine(Path.GetTempPath(), RecoveryFolderPrefix + suffix)
            : Path.Combine(Path.GetFullPath(_stateDir), "pitr-" + suffix);
        PgServerFolder.RequireSafePath(root);
        var marker = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        UnixFiles.CreateNewPrivateFolder(root, "PostgresRootExists");
        try
        {
            // As root the folder is postgres's from the start (as LocalPostgresServer's); the marker stays ours.
            if (ProcessRunner.IsRoot) await UnixFiles.ChownAsync(root, PgServerFolder.SuperUser, "PostgresUserMissing", ct).ConfigureAwait(false);
            UnixFiles.WriteNewPrivateFile(Path.Combine(root, PgServerFolder.MarkerFileName), marker + "\n");
            var data = PgServerFolder.DataDir(root);
            await Run("cp", new[] { "-a", "--", backup.Folder, data }, ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(data, "recovery.signal"), "", ct).ConfigureAwait(false);
            // The archive is the main server's; this server only reads it (archive_mode off on its command line).
            await File.AppendAllTextAsync(Path.Combine(data, "postgresql.auto.conf"),
                $"\nrestore_command = 'cp {_own!.WalArchive}/%f %p'\n{target}\nrecovery_target_action = 'promote'\n", ct).ConfigureAwait(false);
            if (ProcessRunner.IsRoot) await Run("chown", new[] { "-R", "--no-dereference", PgServerFolder.SuperUser + ":", "--", data }, ct).ConfigureAwait(false);
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var port = Ports.Free();
            // Not a hot standby: pg_ctl -w returns once recovery has reached the target and the server is promoted (or fails with its log).
            var options = $"-p {port} -k '{root}' -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=off -c archive_mode=off -c max_connections=20";
            await PgServerFolder.RunAsync(_pg.BinDir, root, "pg_ctl",
                new[] { "-D", data, "-l", PgServerFolder.LogFile(root), "-w", "-t", "300", "-o", options, "start" }, ct).ConfigureAwait(false);
            await WaitPromotedAsync(root, port, TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
            await _pg.DumpFromAsync(port, database, dumpFile, ct).ConfigureAwait(false);
        }
        finally
        {
            // Only this restore's own folder (its marker checked), whatever happened.
            try { await PgServerFolder.StopAndRemoveAsync(root, marker, CancellationToken.None).ConfigureAwait(false); }
            catch (OpsException ex) { _log?.LogWarning("Recovery server folder {Root} left: {Message}", root, ex.Message); }
        }
    }

    /// <summary>Waits until the recovery server has reached its target and been promoted; one that exits (a target it could not reach) fails with its log.</summary>
    private async Task WaitPromotedAsync(string root, int port, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await _pg.IsPromotedAsync(port, ct).ConfigureAwait(false) == true) return;
            var exited = !File.Exists(Path.Combine(PgServerFolder.DataDir(root), "postmaster.pid"));
            if (exited || DateTime.UtcNow > deadline)
            {
                var logFile = PgServerFolder.LogFile(root);
                var log = File.Exists(logFile) ? string.Join(" ", File.ReadLines(logFile).TakeLast(8)) : "";
                throw new InvalidOperationException($"The recovery server {(exited ? "stopped" : "did not finish recovery in time")}: {log}");
            }
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    private static async Task Run(string program, string[] args, CancellationToken ct)
    {
        var r = await ProcessRunner.RunAsync(program, args, cancellationToken: ct).ConfigureAwait(false);
        if (r.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {r.StdErr.Trim()}");
    }
}

/// <summary>A base backup of the sandbox's own server: its folder, the sandbox time it was taken, the real time it ended.</summary>
internal sealed record RdsBaseBackup(string Folder, DateTimeOffset Simulated, DateTimeOffset RealEnd);
