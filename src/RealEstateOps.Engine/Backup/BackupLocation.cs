using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Backup;

/// <summary>Where an artifact lives: a local file, or an S3 object (s3://bucket/key).</summary>
public sealed record BackupLocation(string? FilePath, string? Bucket, string? Key)
{
    public bool IsS3 => Bucket is not null;

    public override string ToString() => IsS3 ? $"s3://{Bucket}/{Key}" : FilePath!;

    /// <summary>Parses s3://bucket/key, or takes the text as an already resolved file path.</summary>
    public static BackupLocation Parse(string text)
    {
        if (!text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) return new BackupLocation(text, null, null);
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
