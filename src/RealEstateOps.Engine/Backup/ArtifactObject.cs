namespace RealEstateOps.Engine.Backup;

/// <summary>An object in the backups bucket as a listing shows it: where, how big, when it was written.</summary>
public sealed record ArtifactObject(string Bucket, string Key, long Size, DateTimeOffset LastModified)
{
    public string Location => $"s3://{Bucket}/{Key}";
}
