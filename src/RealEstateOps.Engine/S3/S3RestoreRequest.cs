namespace RealEstateOps.Engine.S3;

/// <summary>What to restore: one key (optionally a version of it), every key under a prefix, or piped versions; optionally as of a time.</summary>
public sealed class S3RestoreRequest
{
    public required string Bucket { get; init; }
    /// <summary>One key (with <see cref="VersionId"/> for a version restore).</summary>
    public string? Key { get; init; }
    /// <summary>Every key under a prefix ("" for the whole bucket).</summary>
    public string? Prefix { get; init; }
    public string? VersionId { get; init; }
    public DateTimeOffset? AsOf { get; init; }
    public bool RemoveNewer { get; init; }
    /// <summary>Piped versions: a delete marker undeletes its key; a version becomes current.</summary>
    public IReadOnlyList<S3Version>? Items { get; init; }
    public int ThrottleLimit { get; init; } = 16;

    public S3RestoreMode Mode => AsOf is not null ? S3RestoreMode.AsOf : VersionId is not null ? S3RestoreMode.Version : S3RestoreMode.Undelete;

    /// <summary>What is restored, as ShouldProcess, the journal and progress name it: s3://bucket/key, s3://bucket/prefix, or s3://bucket (N keys).</summary>
    public string Target
    {
        get
        {
            if (Items is { } items)
            {
                var keys = items.Select(i => i.Key).Distinct(StringComparer.Ordinal).Count();
                return $"s3://{Bucket} ({keys} key{(keys == 1 ? "" : "s")})";
            }
            return Key is not null ? $"s3://{Bucket}/{Key}" : $"s3://{Bucket}/{Prefix}";
        }
    }
}
