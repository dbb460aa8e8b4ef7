using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Storage;

namespace RealEstateOps.Commands.Storage;

/// <summary>
/// The runbook's DR step "aws s3 sync s3://real-estate-ai-assets-dr/ s3://new-primary-bucket/ --source-region
/// us-west-2 --region us-east-1", server-side and in parallel; returns a summary.
/// </summary>
[Cmdlet(VerbsData.Sync, "S3Bucket", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(S3SyncResult))]
public sealed class SyncS3BucketCommand : S3CommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(S3BucketCompleter))]
    public string Source { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(S3BucketCompleter))]
    public string Destination { get; set; } = "";

    [Parameter] public string? SourceRegion { get; set; }

    /// <summary>The destination bucket's region (like the aws CLI's --region for sync); -Region also sets it.</summary>
    [Parameter] public string? DestinationRegion { get; set; }

    /// <summary>SizeAndTime or Checksum (a string, not the engine's enum: the cmdlet assembly must load without the engine).</summary>
    [Parameter]
    [ValidateSet("SizeAndTime", "Checksum")]
    public string Compare { get; set; } = "SizeAndTime";

    [Parameter] public SwitchParameter Delete { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = S3SyncRequest.DefaultThrottleLimit;

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var request = new S3SyncRequest
        {
            Source = S3Location.Parse(Source, nameof(Source)),
            Destination = S3Location.Parse(Destination, nameof(Destination)),
            SourceRegion = SourceRegion,
            DestinationRegion = DestinationRegion ?? Region,
            Compare = Enum.Parse<S3SyncCompare>(Compare, ignoreCase: true),
            Delete = Delete,
            ThrottleLimit = ThrottleLimit,
        };
        S3BucketSyncer.Validate(request);
        using var session = NewSession();
        var action = $"Copy what is missing or different from {request.Source} (compare {Compare})" + (Delete ? " and delete objects the source does not have" : "");
        var result = Change(request.Destination.ToString(), action, ct => S3BucketSyncer.SyncAsync(session, request, EmitError, new Progress(this, request), ct), Force);
        if (result is not null) WriteObject(result);
    }

    private sealed class Progress : IProgress<S3SyncProgress>
    {
        private readonly SyncS3BucketCommand _cmdlet;
        private readonly string _activity;
        private long _last;
        public Progress(SyncS3BucketCommand cmdlet, S3SyncRequest r) { _cmdlet = cmdlet; _activity = $"Sync-S3Bucket {r.Source} -> {r.Destination}"; }

        public void Report(S3SyncProgress p)
        {
            // At most one progress record per 50 objects, and the last one.
            if (!p.ListingDone && p.Done - Interlocked.Read(ref _last) < 50) return;
            Interlocked.Exchange(ref _last, p.Done);
            _cmdlet.WriteProgressStep(1, _activity,
                $"{p.Done} of {p.Listed}{(p.ListingDone ? "" : "+")} objects compared, {p.Copied} copied ({p.Bytes / 1048576.0:0.0} MiB)",
                p.ListingDone && p.Listed > 0 ? (int)(p.Done * 100 / p.Listed) : null, completed: p.ListingDone);
        }
    }
}
