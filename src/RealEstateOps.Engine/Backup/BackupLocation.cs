using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Backup;

/// <summary>Where an artifact lives: a local file, or an S3 object (s3://bucket/key).</summary>
public sealed record BackupLocation(string? FilePath, string? Bucket, string? Key)
{
    public bool IsS3 => Bucket is not null;

    public override string ToString() => IsS3 ? $"s3://{Bucket}/{Key}" : FilePath!;

    /// <summary>Whether the text names an S3 object (s3://...) rather than a local path.</summary>
    public static bool IsS3Url(string text) => text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Refuses a URL of any other kind (http://, https://, ftp://, ...) before it is taken for a path: only a local
    /// path and s3://bucket/key are places an archive is written to or read from.
    /// </summary>
    public static void EnsureSupported(string text, string parameter)
    {
        var scheme = System.Text.RegularExpressions.Regex.Match(text, "^([A-Za-z][A-Za-z0-9+.-]*)://");
        if (scheme.Success && !IsS3Url(text))
            throw new OpsException("BackupLocationInvalid", OpsErrorCategory.InvalidArgument,
                $"'{text}' (-{parameter}) is a {scheme.Groups[1].Value}:// URL; an archive is a local file path (e.g. ./backup-20261128.dump) " +
                "or an S3 object, s3://bucket/key (e.g. s3://real-estate-ai-backups/backup-20261128.dump).", text);
    }

    /// <summary>Parses s3://bucket/key, or takes the text as an already resolved file path.</summary>
    public static BackupLocation Parse(string text)
    {
        if (!IsS3Url(text)) return new BackupLocation(text, null, null);
        var rest = text[5..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length is < 3 or > 63 || key.Length == 0 || key.EndsWith('/'))
            throw new OpsException("BackupLocationInvalid", OpsErrorCategory.InvalidArgument,
                $"'{text}' is not an S3 object location: use s3://bucket/key, e.g. s3://real-estate-ai-backups/backup-20261128.dump.", text);
        return new BackupLocation(null, bucket, key);
    }
}
