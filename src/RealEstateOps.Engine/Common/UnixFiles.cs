using System.Runtime.InteropServices;
using System.Text;

namespace RealEstateOps.Engine.Common;

/// <summary>What lstat says about a path (the path itself, never what a symlink points to).</summary>
public sealed record PathFacts(bool Exists, bool IsSymlink, bool IsDirectory, bool IsFile, int Uid, UnixFileMode Mode);

/// <summary>
/// Owner-only folders and files on Linux, created with their final mode (no create-then-chmod window),
/// and what a path really is (lstat: type, owner, mode) before anything is removed or stopped there.
/// On Windows the checks that have no meaning there (owner, mode) pass.
/// </summary>
public static class UnixFiles
{
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Whether only the owner can read the file (0600 or stricter); always true where there are no Unix modes.</summary>
    public static bool IsOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows()) return true;
        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) == 0;
    }
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    /// <summary>The user id this process acts as (0 as root); -1 on Windows.</summary>
    public static int EffectiveUid => OperatingSystem.IsWindows() ? -1 : (int)geteuid();

    /// <summary>
    /// Creates a folder 0700 (missing parents get the default mode), or takes an existing one after checking it is a real folder
    /// (not a symlink) owned by this user; an existing one is narrowed to 0700.
    /// </summary>
    public static void EnsurePrivateFolder(string path, string errorId)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(path); return; }
        Directory.CreateDirectory(path, OwnerOnlyFolder);
        var facts = Lstat(path);
        if (!facts.IsDirectory || facts.IsSymlink || (facts.Uid != -1 && facts.Uid != EffectiveUid))
            throw new OpsException(errorId, OpsErrorCategory.PermissionDenied,
                $"'{path}' is not a folder owned by this user ({Describe(facts)}); refusing to keep files there. Remove it or choose another folder.", path);
        if ((facts.Mode & PermissionBits) != OwnerOnlyFolder) File.SetUnixFileMode(path, OwnerOnlyFolder);
    }

    /// <summary>Creates a new folder 0700 with mkdir(2): fails when anything (folder, file or symlink) is already at the path.</summary>
    public static void CreateNewPrivateFolder(string path, string errorId)
    {
        if (OperatingSystem.IsWindows())
        {
            if (Directory.Exists(path) || File.Exists(path)) throw Exists();
            Directory.CreateDirectory(path);
            return;
        }
        if (mkdir(path, (uint)OwnerOnlyFolder) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == 17 /* EEXIST */) throw Exists();
        throw new OpsException(errorId, OpsErrorCategory.WriteError, $"Creating the folder '{path}' failed (errno {errno}).", path);

        OpsException Exists() => new(errorId, OpsErrorCategory.ResourceExists,
            $"'{path}' already exists; a new private folder is made only where nothing is. Nothing was changed there.", path);
    }

    /// <summary>Writes a new file that is 0600 from its creation; fails when the path exists (no symlink is followed).</summary>
    public static void WriteNewPrivateFile(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        using var stream = new FileStream(path, options);
        var bytes = new UTF8Encoding(false).GetBytes(content);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// lstat(2): the path itself, through statx(2) on Linux. Elsewhere the owner is unknown (-1), and the checks
    /// that compare owners cannot be made (Linux is where the sandbox runs as root).
    /// </summary>
    public static PathFacts Lstat(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            var isLink = info.LinkTarget is not null;
            var isDir = !isLink && Directory.Exists(path);
            var isFile = !isLink && File.Exists(path);
            var permissions = !OperatingSystem.IsWindows() && (isDir || isFile) ? File.GetUnixFileMode(path) : 0;
            return new PathFacts(isLink || isDir || isFile, isLink, isDir, isFile, -1, permissions);
        }
        var buffer = new byte[256];
        var rc = statx(-100 /* AT_FDCWD */, path, 0x100 /* AT_SYMLINK_NOFOLLOW */, 0x0B /* TYPE|MODE|UID */, buffer);
        if (rc != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is 2 /* ENOENT */ or 20 /* ENOTDIR */) return new PathFacts(false, false, false, false, -1, 0);
            throw new IOException($"lstat '{path}' failed (errno {errno}).");
        }
        var uid = BitConverter.ToInt32(buffer, 20);
        var mode = BitConverter.ToUInt16(buffer, 28);
        var type = mode & 0xF000;
        return new PathFacts(true, type == 0xA000, type == 0x4000, type == 0x8000, uid, (UnixFileMode)(mode & 0xFFF));
    }

    /// <summary>The user id of a named user (id -u), or null when there is no such user.</summary>
    public static async Task<int?> UserIdAsync(string user, CancellationToken ct)
    {
        var r = await ProcessRunner.RunAsync("id", new[] { "-u", user }, cancellationToken: ct).ConfigureAwait(false);
        return r.ExitCode == 0 && int.TryParse(r.StdOut.Trim(), out var uid) ? uid : null;
    }

    /// <summary>Gives a path (not what a symlink there points to) to a user and its group.</summary>
    public static async Task ChownAsync(string path, string user, string errorId, CancellationToken ct)
    {
        var r = await ProcessRunner.RunAsync("chown", new[] { "--no-dereference", user + ":", "--", path }, cancellationToken: ct).ConfigureAwait(false);
        if (r.ExitCode != 0)
            throw new OpsException(errorId, OpsErrorCategory.NotInstalled,
                $"Giving '{path}' to the '{user}' user failed: {r.StdErr.Trim()}", path);
    }

    public static string Describe(PathFacts f) =>
        !f.Exists ? "missing"
        : $"{(f.IsSymlink ? "symlink" : f.IsDirectory ? "folder" : f.IsFile ? "file" : "special file")}, owner uid {f.Uid}, mode {Convert.ToString((int)f.Mode, 8)}";

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
