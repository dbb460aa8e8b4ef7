using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// What the module itself needs of the throwaway PostgreSQL servers the sandbox and the test run start (the server
/// class lives in the sandbox): where PostgreSQL's programs are, which folders pg_ctl may be handed, and how a server
/// recorded in a folder is stopped and its folder removed, only when the folder carries the marker it was made with.
/// </summary>
/// <remarks>
/// A server folder is made new, 0700, with a marker file (a random id, 0600, owned by this user); as root the folder
/// is given to 'postgres' (PostgreSQL refuses to run as root). <see cref="StopAndRemoveAsync"/> checks the marker, the
/// folder's owner and type before it stops a server there or removes anything: a folder someone else made is never
/// touched. pg_ctl runs its server through /bin/sh, so folders with characters outside a small safe set are refused
/// (<c>PostgresPathUnsafe</c>).
/// </remarks>
public static class PgServerFolder
{
    public const string SuperUser = "postgres";
    /// <summary>The marker file in every server folder; it holds the folder's random id.</summary>
    public const string MarkerFileName = ".realestateops-postgres-marker";
    /// <summary>The record a host keeps of its server (root and marker), so a restart can stop the previous one.</summary>
    public const string RecordFileName = "postgres.json";

    public static string DataDir(string root) => Path.Combine(root, "data");
    public static string LogFile(string root) => Path.Combine(root, "server.log");

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

    /// <summary>Runs one of PostgreSQL's server programs in <paramref name="root"/> (as 'postgres' when we are root); its failure is <c>PostgresStartFailed</c>.</summary>
    public static async Task RunAsync(string binDir, string root, string program, IEnumerable<string> args, CancellationToken ct)
    {
        var exe = Path.Combine(binDir, program);
        var result = ProcessRunner.IsRoot
            ? await ProcessRunner.RunAsync("runuser", new[] { "-u", SuperUser, "--", exe }.Concat(args), workingDirectory: root, cancellationToken: ct).ConfigureAwait(false)
            : await ProcessRunner.RunAsync(exe, args, workingDirectory: root, cancellationToken: ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var logFile = LogFile(root);
            var log = File.Exists(logFile) ? File.ReadLines(logFile).TakeLast(10) : Array.Empty<string>();
            throw new OpsException("PostgresStartFailed", OpsErrorCategory.ResourceUnavailable,
                $"{program} failed (exit {result.ExitCode}): {(result.StdErr + result.StdOut).Trim()} {string.Join(" ", log)}".Trim());
        }
    }

    /// <summary>Stops the server running in <paramref name="root"/>, if any (pg_ctl stop, fast).</summary>
    public static async Task StopServerAsync(string binDir, string root, CancellationToken ct)
    {
        var dataDir = DataDir(root);
        if (!File.Exists(Path.Combine(dataDir, "postmaster.pid"))) return;
        await RunAsync(binDir, root, "pg_ctl", new[] { "-D", dataDir, "-m", "fast", "-w", "stop" }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks that <paramref name="root"/> is a server folder made here: a real folder (not a symlink) owned by this
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
    /// after <see cref="VerifyOwnedAsync"/>: a folder not made here is left exactly as it is.
    /// </summary>
    public static async Task StopAndRemoveAsync(string root, string? expectedMarker = null, CancellationToken cancellationToken = default)
    {
        root = Path.GetFullPath(root);
        RequireSafePath(root);
        await VerifyOwnedAsync(root, expectedMarker, cancellationToken).ConfigureAwait(false);
        if (FindBinDir() is { } bin)
        {
            try { await StopServerAsync(bin, root, cancellationToken).ConfigureAwait(false); }
            catch (OpsException) { /* not running, or already stopping: the folder goes anyway */ }
        }
        try { Directory.Delete(root, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    /// <summary>Records a server (root and marker) in <paramref name="folder"/>, owner-only.</summary>
    public static void WriteRecord(string folder, string root, string marker, int port) =>
        FileUtil.WriteAtomic(Path.Combine(folder, RecordFileName), new JsonObject { ["root"] = root, ["marker"] = marker, ["port"] = port }.ToJsonString(), ownerOnly: true);

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
}
