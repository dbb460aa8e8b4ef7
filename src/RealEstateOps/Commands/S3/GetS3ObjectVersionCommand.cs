using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.S3;

/// <summary>
/// The runbook's "aws s3api list-object-versions": streams versions and delete markers of one key or
/// every key under a prefix, page by page; -Deleted keeps only keys whose current version is a delete marker.
/// </summary>
[Cmdlet(VerbsCommon.Get, "S3ObjectVersion", DefaultParameterSetName = "Prefix")]
[OutputType(typeof(S3Version))]
public sealed class GetS3ObjectVersionCommand : S3CommandBase
{
    [Parameter(Position = 0)]
    [Alias("BucketName")]
    [ArgumentCompleter(typeof(S3BucketCompleter))]
    public string? Bucket { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Key")]
    public string Key { get; set; } = "";

    [Parameter(Position = 1, ParameterSetName = "Prefix")]
    public string? Prefix { get; set; }

    /// <summary>Only keys whose current version is a delete marker (one delete marker per key).</summary>
    [Parameter] public SwitchParameter Deleted { get; set; }

    /// <summary>Only versions last modified before this time.</summary>
    [Parameter] public DateTime? Before { get; set; }

    protected override void ProcessRecordCore()
    {
        var bucket = ResolveBucket(Bucket);
        if (ParameterSetName == "Key") S3Names.CheckKey(Key);
        var query = new S3VersionQuery(bucket, ParameterSetName == "Prefix" ? Prefix : null, ParameterSetName == "Key" ? Key : null, Deleted,
            Before is { } b ? new DateTimeOffset(b.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(b, DateTimeKind.Local) : b) : null);
        var lister = new S3VersionLister(S3);
        Stream(ct => lister.ListAsync(query, ct));
    }
}
