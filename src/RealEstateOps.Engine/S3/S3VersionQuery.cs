namespace RealEstateOps.Engine.S3;

/// <summary>What to list: one key or every key under a prefix, optionally only deleted keys or versions before a time.</summary>
public sealed record S3VersionQuery(string Bucket, string? Prefix = null, string? Key = null, bool DeletedOnly = false, DateTimeOffset? Before = null);
