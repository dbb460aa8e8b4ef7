namespace RealEstateOps.Engine.Common;

public static class FileUtil
{
    /// <summary>rw------- : contexts, the journal, exported dumps, password files.</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ : the folders that hold them.</summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates a folder and any missing parents as 0700 from the start (mkdir with that mode, no
    /// create-then-chmod window). Folders that already exist are left exactly as they are: an
    /// operator's ~/.config or a shared folder named for an export is not ours to change.
    /// </summary>
    public static void CreatePrivateDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return;
        }
        // Each missing level on its own, parents first: Directory.CreateDirectory(path, mode) gives the mode to the last one only.
        var missing = new Stack<string>();
        for (var dir = full; !string.IsNullOrEmpty(dir) && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
            missing.Push(dir);
        while (missing.Count > 0)
        {
            var dir = missing.Pop();
            try
            {
                Directory.CreateDirectory(dir, OwnerOnlyFolder);
            }
            catch (IOException) when (Directory.Exists(dir))
            {
                // Created by someone else in between: theirs, left as it is.
            }
        }
    }

    /// <summary>
    /// The module's own folder (named 'realestateops', e.g. ~/.config/realestateops): created 0700 when
    /// missing, and taken back to 0700 when an earlier version left it open to the group or others.
    /// A folder with any other name (a REALESTATEOPS_JOURNAL somewhere else) is only created, never changed.
    /// </summary>
    public static void EnsureAppFolder(string path)
    {
        var full = Path.GetFullPath(path);
        CreatePrivateDirectory(full);
        if (OperatingSystem.IsWindows() || !Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)).Equals(OpsPaths.AppFolder, StringComparison.Ordinal)) return;
        try
        {
            var mode = File.GetUnixFileMode(full);
            if ((mode & ~OwnerOnlyFolder) != 0) File.SetUnixFileMode(full, mode & OwnerOnlyFolder);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Options that create a file as 0600 from the start when <paramref name="ownerOnly"/> (the mode is given to open(2), not set after).</summary>
    public static FileStreamOptions CreateOptions(FileMode mode, FileAccess access, FileShare share, bool ownerOnly, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var result = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options };
        if (ownerOnly && !OperatingSystem.IsWindows() && mode != FileMode.Open && mode != FileMode.Truncate) result.UnixCreateMode = OwnerOnlyFile;
        return result;
    }

    /// <summary>
    /// Writes a file so that readers see either the old or the new content, never half of it:
    /// write a temporary file beside it, flush it to disk, then rename it over the target. Missing
    /// folders are created 0700; with <paramref name="ownerOnly"/> the file is created 0600 (the
    /// temporary file is born with that mode, so the content is never readable by anyone else).
    /// </summary>
    public static void WriteAtomic(string path, string content, bool ownerOnly = false)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreatePrivateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None, ownerOnly)))
            {
                using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
