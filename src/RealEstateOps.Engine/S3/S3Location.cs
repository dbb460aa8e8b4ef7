using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>A bucket and an optional key prefix, as written "s3://bucket/prefix".</summary>
public readonly record struct S3Location(string Bucket, string Prefix)
{
    public override string ToString() => $"s3://{Bucket}/{Prefix}";

    /// <summary>
    /// Parses "s3://bucket[/prefix]" (or "bucket[/prefix]"), checking the bucket name. Anything else (a local folder, another
    /// scheme) is S3LocationInvalid; an s3:// URI with a bad bucket name is S3BucketNameInvalid. Both say what is accepted.
    /// </summary>
    public static S3Location Parse(string? text, string parameterName)
    {
        var given = text ?? "";
        var t = given.Trim();
        var isUri = t.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
        if (isUri) t = t[5..];
        var slash = t.IndexOf('/');
        var bucket = slash < 0 ? t : t[..slash];
        var prefix = slash < 0 ? "" : t[(slash + 1)..];
        if (!isUri && (t.Contains("://", StringComparison.Ordinal) || !S3Names.IsValidBucket(bucket)))
            throw new OpsException("S3LocationInvalid", OpsErrorCategory.InvalidArgument,
                $"'{given}' (-{parameterName}) is not an S3 location. -{parameterName} takes an s3://bucket/ or s3://bucket/prefix/ URI, " +
                "such as s3://real-estate-ai-assets-dr/ or s3://real-estate-ai-assets/properties/. Local folders and other URLs are not supported: " +
                "the copy runs inside S3, from bucket to bucket (to copy to or from a local folder, use aws s3 sync).", given)
            { RecommendedAction = $"Give -{parameterName} as s3://bucket/prefix/." };
        if (!S3Names.IsValidBucket(bucket))
            throw new OpsException("S3BucketNameInvalid", OpsErrorCategory.InvalidArgument,
                $"'{bucket}' in '{given}' (-{parameterName}) is not a valid S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, " +
                $"starting and ending with a letter or digit. -{parameterName} takes an s3://bucket/ or s3://bucket/prefix/ URI, such as s3://real-estate-ai-assets/properties/.", given);
        if (prefix.Length > 0) S3Names.CheckKey(prefix, parameterName);
        return new S3Location(bucket, prefix);
    }
}
