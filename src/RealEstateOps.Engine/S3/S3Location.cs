namespace RealEstateOps.Engine.S3;

/// <summary>A bucket and an optional key prefix, as written "s3://bucket/prefix".</summary>
public readonly record struct S3Location(string Bucket, string Prefix)
{
    public override string ToString() => $"s3://{Bucket}/{Prefix}";

    /// <summary>Parses "s3://bucket[/prefix]" (or "bucket[/prefix]"), checking the bucket name.</summary>
    public static S3Location Parse(string text, string parameterName)
    {
        var t = text.Trim();
        if (t.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) t = t[5..];
        var slash = t.IndexOf('/');
        var bucket = slash < 0 ? t : t[..slash];
        var prefix = slash < 0 ? "" : t[(slash + 1)..];
        S3Names.CheckBucket(bucket, parameterName);
        if (prefix.Length > 0) S3Names.CheckKey(prefix, parameterName);
        return new S3Location(bucket, prefix);
    }
}
