using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Backup;

/// <summary>Where an export's bytes go as pg_dump writes them: written whole, then committed, or aborted leaving nothing behind.</summary>
public interface IArtifactSink
{
    Task WriteAllAsync(Stream source, CancellationToken ct);
    /// <summary>Makes the artifact visible; <paramref name="sha256"/> is the hash of everything written (an S3 object records it as metadata).</summary>
    Task CommitAsync(string sha256, CancellationToken ct);
    Task AbortAsync();
}

/// <summary>A local file, written as "name.partial" and renamed into place only when pg_dump succeeded.</summary>
internal sealed class FileSink : IArtifactSink
{
    private readonly string _path;
    private readonly string _partial;
    private readonly bool _overwrite;

    public FileSink(string path, bool overwrite)
    {
        _path = path;
        _overwrite = overwrite;
        _partial = path + ".partial";
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || !Directory.Exists(folder))
            throw new OpsException("BackupFolderNotFound", OpsErrorCategory.ObjectNotFound, $"The folder of '{path}' does not exist.", path);
        if (File.Exists(path) && !overwrite)
            throw new OpsException("BackupFileExists", OpsErrorCategory.ResourceExists,
                $"'{path}' already exists; choose another -Destination, or give -Overwrite to replace it.", path);
    }

    public async Task WriteAllAsync(Stream source, CancellationToken ct)
    {
        // 0600 from the start: a dump holds every row of the database.
        // A stale partial file from an interrupted run is removed first, so the new one is born with our mode.
        File.Delete(_partial);
        await using var file = new FileStream(_partial, FileUtil.CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None, ownerOnly: true, 1 << 20, FileOptions.Asynchronous));
        await source.CopyToAsync(file, 1 << 20, ct).ConfigureAwait(false);
        await file.FlushAsync(ct).ConfigureAwait(false);
    }

    public Task CommitAsync(string sha256, CancellationToken ct)
    {
        File.Move(_partial, _path, _overwrite);
        return Task.CompletedTask;
    }

    public Task AbortAsync()
    {
        try { File.Delete(_partial); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
