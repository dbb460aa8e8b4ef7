using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// A throwaway PostgreSQL server in a folder of its own, on loopback, with password authentication:
/// what the test run and the sandbox start when they are not pointed at a server. PostgreSQL
/// refuses to run as root, so as root it runs as the 'postgres' user (which Debian's package creates).
/// </summary>
/// <remarks>
/// The folder is made new (mkdir fails on anything already there), 0700 from the start, and as root given
/// to 'postgres' before any secret is written into it. It carries a marker file (a random id, 0600, owned by
/// this user) that <see cref="StopAndRemoveAsync"/> checks, with the folder's owner and type, before it stops
/// a server there or removes anything: a folder someone else made is never touched. pg_ctl runs its server
/// through /bin/sh, so folders with characters outside a small safe set are refused (<c>PostgresPathUnsafe</c>).
/// </remarks>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    public const string SuperUser = "postgres";
    /// <summary>The marker file in every folder this class creates; it holds the folder's random id.</summary>
    public const string MarkerFileName = ".realestateops-postgres-marker";
    /// <summary>The record a host keeps of its server (root and marker), so a restart can stop the previous one.</summary>
    public const string RecordFileName = "postgres.json";

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
    public string DataDir => Path.Combine(Root, "data");
    public string LogFile => Path.Combine(Root, "server.log");
    public string Host => "127.0.0.1";
    public int Port { get; }
    public string Password { get; }
    /// <summary>The random id in <see cref="Root"/>'s marker file.</summary>
    public string Marker { get; }

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

    /// <summary>
    /// Refuses a path pg_ctl would pass through /bin/sh unless every character is in a small safe set
    /// (letters, digits, space and . _ / - + , = @): '$(...)', backquotes, quotes and the like never reach a shell.
    /// </summary>
    public static void RequireSafePath(string path, string what = "PostgreSQL folder")
    {
        foreach (var c in path)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '/' or '-' or '+' or ',' or '=' or '@' or ' ')
                continue;
            var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
            throw new OpsException("PostgresPathUnsafe", OpsErrorCategory.InvalidArgument,
                $"The {what} '{path}' contains '{shown}': pg_ctl passes its folders through /bin/sh, so only letters, digits, space and . _ / - + , = @ are allowed there. Choose another folder (for the sandbox: REALESTATEOPS_STATE_HOME).",
                path);
        }
    }

    /// <summary>Initialises and starts a server in <paramref name="root"/>, which must not exist yet (its parent may).</summary>
    public static async Task<LocalPostgresServer> StartAsync(string root, int port = 0, CancellationToken cancellationToken = default)
    {
        root = Path.GetFullPath(root);
        RequireSafePath(root);
        var bin = FindBinDir() ?? throw new OpsException("PostgresNotInstalled", OpsErrorCategory.NotInstalled,
            "PostgreSQL's server programs (initdb, pg_ctl) were not found. Install Debian's 'postgresql' package or set REALESTATEOPS_PG_BIN.");
        RequireSafePath(Path.GetFullPath(bin), "PostgreSQL program folder");
        if (port == 0) port = Ports.Free();
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var marker = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var server = new LocalPostgresServer(bin, root, port, password, marker);
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
            if (ProcessRunner.IsRoot) await UnixFiles.ChownAsync(Root, SuperUser, "PostgresUserMissing", ct).ConfigureAwait(false);
            UnixFiles.WriteNewPrivateFile(Path.Combine(Root, MarkerFileName), Marker + "\n");
            var pwFile = Path.Combine(Root, "initdb.pw");
            UnixFiles.WriteNewPrivateFile(pwFile, Password + "\n");
            try
            {
                if (ProcessRunner.IsRoot) await UnixFiles.ChownAsync(pwFile, SuperUser, "PostgresUserMissing", ct).ConfigureAwait(false);
                await RunPgAsync("initdb", new[] { "-D", DataDir, "-U", SuperUser, "--auth=scram-sha-256", $"--pwfile={pwFile}", "-E", "UTF8", "--locale=C", "--no-sync" }, ct)
                    .ConfigureAwait(false);
            }
            finally
            {
                File.Delete(pwFile);
            }
            // pg_ctl hands -o to /bin/sh unquoted: the (already checked) socket folder is single-quoted too.
            var options = $"-p {Port} -k '{Root}' -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200";
            await RunPgAsync("pg_ctl", new[] { "-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o", options, "start" }, ct).ConfigureAwait(false);
        }
        catch
        {
            // The folder is the one just made here: stop whatever started in it and remove it.
            try { await StopAsync(CancellationToken.None).ConfigureAwait(false); } catch (OpsException) { }
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
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

    /// <summary>
    /// Checks that <paramref name="root"/> is a folder this class made: a real folder (not a symlink) owned by this
    /// user (by 'postgres' when running as root), holding a marker file owned by this user whose id is
    /// <paramref name="expectedMarker"/> (any id when null). Throws <c>PostgresRootNotOwned</c> otherwise.
    /// </summary>
    public static async Task VerifyOwnedAsync(string root, string? expectedMarker, CancellationToken ct)
    {
        root = Path.GetFullPath(root);
        var folder = UnixFiles.Lstat(root);
        if (!folder.Exists)
            throw new OpsException("PostgresRootMissing", OpsErrorCategory.ObjectNotFound, $"There is no PostgreSQL folder at '{root}'.", root);
        var me = UnixFiles.EffectiveUid;
        int? expectedOwner = me;
        if (ProcessRunner.IsRoot) expectedOwner = await UnixFiles.UserIdAsync(SuperUser, ct).ConfigureAwait(false);
        string? problem = null;
        if (!folder.IsDirectory || folder.IsSymlink) problem = $"it is not a folder ({UnixFiles.Describe(folder)})";
        else if (folder.Uid != -1 && folder.Uid != expectedOwner) problem = $"its owner is uid {folder.Uid}, not {expectedOwner}";
        else
        {
            var markerPath = Path.Combine(root, MarkerFileName);
            var marker = UnixFiles.Lstat(markerPath);
            if (!marker.IsFile || marker.IsSymlink) problem = $"it has no marker file {MarkerFileName} ({UnixFiles.Describe(marker)})";
            else if (marker.Uid != -1 && marker.Uid != me) problem = $"its marker file's owner is uid {marker.Uid}, not {me}";
            else
            {
                var id = (await File.ReadAllTextAsync(markerPath, ct).ConfigureAwait(false)).Trim();
                if (id.Length == 0 || (expectedMarker is not null && id != expectedMarker)) problem = "its marker is not the one recorded when it was made";
            }
        }
        if (problem is not null)
            throw new OpsException("PostgresRootNotOwned", OpsErrorCategory.PermissionDenied,
                $"The folder '{root}' was not made by RealEstateOps ({problem}): no server there is stopped and nothing there is removed.", root);
    }

    /// <summary>
    /// Stops a server started earlier in <paramref name="root"/> (by this or another process) and removes the folder,
    /// after <see cref="VerifyOwnedAsync"/>: a folder this class did not make is left exactly as it is.
    /// </summary>
    public static async Task StopAndRemoveAsync(string root, string? expectedMarker = null, CancellationToken cancellationToken = default)
    {
        root = Path.GetFullPath(root);
        RequireSafePath(root);
        await VerifyOwnedAsync(root, expectedMarker, cancellationToken).ConfigureAwait(false);
        var bin = FindBinDir();
        if (bin is not null)
        {
            var server = new LocalPostgresServer(bin, root, 0, "", expectedMarker ?? "");
            try { await server.StopAsync(cancellationToken).ConfigureAwait(false); }
            catch (OpsException) { /* not running, or already stopping: the folder goes anyway */ }
        }
        try { Directory.Delete(root, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    /// <summary>Records this server (root and marker) in <paramref name="folder"/>, owner-only.</summary>
    public void WriteRecord(string folder) =>
        FileUtil.WriteAtomic(Path.Combine(folder, RecordFileName), new JsonObject { ["root"] = Root, ["marker"] = Marker, ["port"] = Port }.ToJsonString(), ownerOnly: true);

    /// <summary>
    /// Stops and removes the server recorded in <paramref name="folder"/> (by <see cref="WriteRecord"/>) when its folder still
    /// carries the recorded marker, then drops the record. Returns what happened, for a log line; null when nothing was recorded.
    /// </summary>
    public static async Task<string?> StopRecordedAsync(string folder, CancellationToken ct)
    {
        var recordPath = Path.Combine(folder, RecordFileName);
        if (!File.Exists(recordPath)) return null;
        string? root = null, marker = null;
        try
        {
            var record = JsonNode.Parse(await File.ReadAllTextAsync(recordPath, ct).ConfigureAwait(false));
            root = (string?)record?["root"];
            marker = (string?)record?["marker"];
        }
        catch (JsonException) { }
        string outcome;
        if (string.IsNullOrEmpty(root) || string.IsNullOrEmpty(marker)) outcome = $"the record {recordPath} was unreadable; nothing was stopped";
        else
        {
            try
            {
                await StopAndRemoveAsync(root, marker, ct).ConfigureAwait(false);
                outcome = $"stopped the previous PostgreSQL in {root} and removed its folder";
            }
            catch (OpsException ex) when (ex.ErrorId is "PostgresRootMissing") { outcome = $"the previous PostgreSQL folder {root} is gone already"; }
            catch (OpsException ex) when (ex.ErrorId is "PostgresRootNotOwned" or "PostgresPathUnsafe") { outcome = $"left {root} alone: {ex.Message}"; }
        }
        File.Delete(recordPath);
        return outcome;
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAndRemoveAsync(Root, Marker).ConfigureAwait(false); }
        catch (OpsException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
