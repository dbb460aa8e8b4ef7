using RealEstateOps.Engine.Storage;

namespace RealEstateOps.Commands.Storage;

/// <summary>What the S3 cmdlets share: a session on the resolved target whose retries and region lookups go to verbose.</summary>
public abstract class S3CommandBase : AwsCmdlet
{
    protected S3Session NewSession() => new(Aws("s3"), verbose: EmitVerbose);

    /// <summary>-Bucket, else the context's assets bucket (with its source written to verbose).</summary>
    protected string ResolveBucket(string? bucket)
    {
        var value = Setting(bucket, "Bucket", c => c.AssetsBucket)?.Value;
        S3Names.CheckBucket(value);
        return value!;
    }
}
