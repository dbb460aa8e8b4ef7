using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.S3;

/// <summary>
/// The runbook's "S3 Backup Strategy" as a check: versioning, cross-region replication (and to where),
/// lifecycle rules, public access block and default encryption; a pass/fail per point and a verdict.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "S3BucketProtection")]
[OutputType(typeof(S3BucketProtection))]
public sealed class TestS3BucketProtectionCommand : S3CommandBase
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [Alias("BucketName")]
    [ArgumentCompleter(typeof(S3BucketCompleter))]
    public string[]? Bucket { get; set; }

    protected override void ProcessRecordCore()
    {
        var buckets = Bucket is { Length: > 0 } given ? given : new[] { ResolveBucket(null) };
        var checker = new S3ProtectionChecker(S3);
        foreach (var bucket in buckets)
        {
            try
            {
                S3Names.CheckBucket(bucket);
                var result = Run(ct => checker.CheckAsync(bucket, Listener, ct));
                WriteVerbose($"{bucket}: " + string.Join("; ", result.Checks.Select(c => $"{c.Name} {(c.Passed ? "pass" : "FAIL")} ({c.Detail})")));
                WriteObject(result);
            }
            catch (Engine.Common.OpsException ex) when (!ex.IsFatal)
            {
                WriteOpsError(ex);
            }
        }
    }
}
