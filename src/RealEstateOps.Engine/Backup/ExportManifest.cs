using System.Text.Json;
using System.Text.Json.Serialization;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Backup;

/// <summary>
/// What an export holds, written as JSON beside it: for Export-Database -Jobs N the prefix's manifest.json, written
/// LAST (a prefix without one is an incomplete export and is never imported); for a single-file export the sidecar
/// &lt;key&gt;.manifest.json. It names the source, the snapshot, the compression, every file with its size and SHA-256,
/// and each table's exact row count in the dump's own snapshot (what a restore drill compares against).
/// </summary>
public sealed class ExportManifest
{
    /// <summary>The file name of a parallel export's manifest under its prefix.</summary>
    public const string FileName = "manifest.json";
    /// <summary>The sidecar suffix of a single-file export's manifest (s3://b/k.dump → s3://b/k.dump.manifest.json).</summary>
    public const string SidecarSuffix = ".manifest.json";
    /// <summary>The Format of a parallel export (schema by pg_dump -Fc, data as gzip'd binary COPY chunks).</summary>
    public const string ParallelFormat = "realestateops-parallel";
    /// <summary>The Format of a single-file export (pg_dump -Fc).</summary>
    public const string CustomFormat = "pg_dump-custom";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = ParallelFormat;
    public int Version { get; init; } = CurrentVersion;
    public string Host { get; init; } = "";
    public int Port { get; init; }
    public string Database { get; init; } = "";
    public string ServerVersion { get; init; } = "";
    public string PgDumpVersion { get; init; } = "";
    /// <summary>The exported snapshot's id (pg_export_snapshot) every worker and pg_dump used.</summary>
    public string Snapshot { get; init; } = "";
    /// <summary>The server's now() in that snapshot: the data is as of this time.</summary>
    public DateTimeOffset SnapshotTime { get; init; }
    /// <summary>"gzip" or "none".</summary>
    public string Compression { get; init; } = "gzip";
    public int CompressionLevel { get; init; }
    public int Jobs { get; init; } = 1;
    public ExportManifestFile[] Files { get; init; } = Array.Empty<ExportManifestFile>();
    public ExportManifestTable[] Tables { get; init; } = Array.Empty<ExportManifestTable>();
    public ExportManifestSequence[] Sequences { get; init; } = Array.Empty<ExportManifestSequence>();
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Exact row counts per table (schema.table), in the dump's snapshot.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, long> RowCounts => Tables.ToDictionary(t => t.Name, t => t.Rows, StringComparer.Ordinal);

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static ExportManifest Parse(ReadOnlySpan<byte> json, string location)
    {
        ExportManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ExportManifest>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new OpsException("ExportManifestInvalid", OpsErrorCategory.InvalidData, $"{location} is not an export manifest: {ex.Message}", location, ex);
        }
        if (manifest is null || (manifest.Format != ParallelFormat && manifest.Format != CustomFormat) || manifest.Version != CurrentVersion)
            throw new OpsException("ExportManifestInvalid", OpsErrorCategory.InvalidData,
                $"{location} is not a version {CurrentVersion} {ParallelFormat} or {CustomFormat} manifest (format '{manifest?.Format}', version {manifest?.Version}).", location);
        return manifest;
    }

    /// <summary>The key of a parallel export's manifest under <paramref name="prefix"/> (with or without its trailing '/').</summary>
    public static string KeyFor(string prefix) => prefix.TrimEnd('/') + "/" + FileName;

    /// <summary>
    /// Reads a manifest from the store: <paramref name="key"/> is a parallel export's prefix (its manifest.json is read), a
    /// manifest's own key, or a single-file export's key (its sidecar &lt;key&gt;.manifest.json is read).
    /// A missing manifest is ExportManifestNotFound: for a prefix, the export is incomplete or not there.
    /// </summary>
    public static async Task<ExportManifest> ReadAsync(IArtifactStore store, string bucket, string key, CancellationToken ct)
    {
        // A prefix when it has a manifest.json under it; else a single archive's sidecar.
        var manifestKey = key.EndsWith(".json", StringComparison.Ordinal) ? key
            : key.EndsWith('/') || await store.ExistsAsync(bucket, KeyFor(key), ct).ConfigureAwait(false) ? KeyFor(key) : key + SidecarSuffix;
        return (await ReadWithHashAsync(store, bucket, manifestKey, key, ct).ConfigureAwait(false)).Manifest;
    }

    /// <summary>The manifest at exactly <paramref name="manifestKey"/> and the SHA-256 of its bytes (what Export-Database -Jobs reports as the export's Sha256).</summary>
    internal static async Task<(ExportManifest Manifest, string Sha256)> ReadWithHashAsync(IArtifactStore store, string bucket, string manifestKey, string named, CancellationToken ct)
    {
        ArtifactInfo info;
        try
        {
            info = await store.HeadAsync(bucket, manifestKey, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "BackupNotFound")
        {
            throw new OpsException("ExportManifestNotFound", OpsErrorCategory.ObjectNotFound,
                $"There is no export manifest s3://{bucket}/{manifestKey}: the export is not there, or it did not finish (its manifest is written last).", $"s3://{bucket}/{named}", ex);
        }
        await using var stream = await store.OpenReadAsync(bucket, manifestKey, info.ETag, ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        return (Parse(bytes, $"s3://{bucket}/{manifestKey}"), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant());
    }

    /// <summary>Reads a local single-file export's sidecar manifest (&lt;path&gt;.manifest.json).</summary>
    public static ExportManifest ReadFile(string path)
    {
        var file = path.EndsWith(SidecarSuffix, StringComparison.Ordinal) ? path : path + SidecarSuffix;
        if (!File.Exists(file))
            throw new OpsException("ExportManifestNotFound", OpsErrorCategory.ObjectNotFound, $"There is no export manifest '{file}'.", path);
        return Parse(File.ReadAllBytes(file), file);
    }
}
