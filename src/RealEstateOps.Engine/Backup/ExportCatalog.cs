using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Backup;

/// <summary>
/// The exports in a backups bucket: a single-file export is an object whose key ends in ".dump" (Export-Database's and the
/// runbook's pg_dump -Fc files), a parallel export a prefix whose "manifest.json" was written last (so an incomplete one is never
/// counted), named as Export-Database -Jobs names it (s3://bucket/prefix). <see cref="NewestAsync"/> finds the newest by the time its last object was written.
/// </summary>
public sealed class ExportCatalog
{
    private const string Manifest = "manifest.json";
    private readonly IArtifactCatalog _catalog;

    public ExportCatalog(IArtifactCatalog catalog) => _catalog = catalog;

    /// <summary>Whether a listed key is an export (or the manifest that completes one), and the location to import it from.</summary>
    public static string? ExportLocation(ArtifactObject o)
    {
        if (o.Key.EndsWith(".dump", StringComparison.Ordinal)) return o.Location;
        if (o.Key.EndsWith("/" + Manifest, StringComparison.Ordinal) && o.Key.Length > Manifest.Length + 1) return $"s3://{o.Bucket}/{o.Key[..^(Manifest.Length + 1)]}";
        return null;
    }

    /// <summary>The newest export under <paramref name="prefix"/>, or null when the bucket holds none (reads the whole listing).</summary>
    public async Task<ExportEntry?> NewestAsync(string bucket, string? prefix, CancellationToken ct)
    {
        ExportEntry? newest = null;
        await foreach (var o in _catalog.ListAsync(bucket, prefix, ct).ConfigureAwait(false))
        {
            if (ExportLocation(o) is not { } location) continue;
            if (newest is null || o.LastModified > newest.WrittenAt)
                newest = new ExportEntry(location, o.LastModified, o.Key.EndsWith(Manifest, StringComparison.Ordinal) ? "directory" : "custom", o.Size);
        }
        return newest;
    }
}

/// <summary>One export found in the backups bucket: where to import it from, when it was completed, its format.</summary>
public sealed record ExportEntry(string Location, DateTimeOffset WrittenAt, string Format, long Size);
