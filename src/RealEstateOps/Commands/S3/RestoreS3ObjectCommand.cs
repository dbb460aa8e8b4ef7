using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.S3;

/// <summary>
/// Restores S3 objects: a deleted key by removing its delete marker(s) (copies nothing), a chosen
/// version by server-side copy (keeps history), or every key under a prefix as of a point in time.
/// One result per key; bounded parallelism; ShouldProcess (ConfirmImpact High) and the journal.
/// </summary>
[Cmdlet(VerbsData.Restore, "S3Object", DefaultParameterSetName = "Key", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(S3RestoreResult))]
public sealed class RestoreS3ObjectCommand : S3CommandBase
{
    private readonly List<S3Version> _items = new();

    [Parameter(ParameterSetName = "Key")]
    [Parameter(ParameterSetName = "Prefix")]
    [Alias("BucketName")]
    [ArgumentCompleter(typeof(S3BucketCompleter))]
    public string? Bucket { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Key")]
    public string Key { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "Prefix")]
    [AllowEmptyString]
    public string Prefix { get; set; } = "";

    /// <summary>Make this version current (server-side copy onto the key).</summary>
    [Parameter(ParameterSetName = "Key")]
    public string? VersionId { get; set; }

    /// <summary>Return the key(s) to the newest version at or before this time.</summary>
    [Parameter(ParameterSetName = "Key")]
    [Parameter(ParameterSetName = "Prefix")]
    public DateTime? AsOf { get; set; }

    /// <summary>With -AsOf: delete keys that did not exist at that time (adds a delete marker; history stays).</summary>
    [Parameter(ParameterSetName = "Key")]
    [Parameter(ParameterSetName = "Prefix")]
    public SwitchParameter RemoveNewer { get; set; }

    /// <summary>Versions or delete markers from Get-S3ObjectVersion.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    public S3Version[] InputObject { get; set; } = Array.Empty<S3Version>();

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        if (ParameterSetName == "InputObject")
        {
            _items.AddRange(InputObject.Where(i => i is not null));
            return;
        }
        if (VersionId is not null && AsOf is not null)
            throw new OpsException("S3RestoreModeConflict", OpsErrorCategory.InvalidArgument, "Give either -VersionId or -AsOf, not both.", VersionId);
        if (RemoveNewer && AsOf is null)
            throw new OpsException("S3RestoreModeConflict", OpsErrorCategory.InvalidArgument, "-RemoveNewer goes with -AsOf.", "RemoveNewer");
        var bucket = ResolveBucket(Bucket);
        DateTimeOffset? asOf = AsOf is { } a ? new DateTimeOffset(a.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(a, DateTimeKind.Local) : a) : null;
        var request = ParameterSetName == "Key"
            ? new S3RestoreRequest { Bucket = bucket, Key = Key, VersionId = VersionId, AsOf = asOf, RemoveNewer = RemoveNewer, ThrottleLimit = ThrottleLimit }
            : new S3RestoreRequest { Bucket = bucket, Prefix = Prefix, AsOf = asOf, RemoveNewer = RemoveNewer, ThrottleLimit = ThrottleLimit };
        if (request.Key is not null) S3Names.CheckKey(request.Key);
        var action = request.Mode switch
        {
            S3RestoreMode.Version => $"Make version {VersionId} current (server-side copy)",
            S3RestoreMode.AsOf => $"Restore to the versions current at {asOf:u}" + (RemoveNewer ? ", deleting keys that did not exist then" : ""),
            _ => request.Key is not null ? "Restore the deleted key (remove its delete marker)" : "Restore every deleted key under the prefix (remove delete markers)",
        };
        Restore(action, request);
    }

    protected override void EndProcessingCore()
    {
        if (ParameterSetName != "InputObject" || _items.Count == 0) return;
        foreach (var group in _items.GroupBy(i => i.Bucket, StringComparer.Ordinal))
        {
            S3Names.CheckBucket(group.Key);
            var request = new S3RestoreRequest { Bucket = group.Key, Items = group.ToList(), ThrottleLimit = ThrottleLimit };
            Restore("Restore the piped versions (undelete delete markers, make versions current)", request);
        }
    }

    private void Restore(string action, S3RestoreRequest request)
    {
        var target = request.Target;
        if (!Ask(target, action, Force)) return;
        var restorer = new S3Restorer(S3);
        var log = new S3ChangeLog();
        StreamRecorded(target, action, log, "key", ct => restorer.RestoreAsync(request, Listener, log, ct));
    }
}
