using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.S3;

/// <summary>
/// The runbook's DR step "aws s3 sync s3://real-estate-ai-assets-dr/ s3://new-primary-bucket/ --source-region
/// us-west-2 --region us-east-1", server-side and in parallel; returns a summary. Lists both sides first, then
/// asks (ConfirmImpact High) with the number of objects it will copy and delete, then changes them. A deletion
/// of everything (empty source) or of more than -MaxDeletePercent of the destination is refused unless
/// -AllowMassDelete.
/// </summary>
[Cmdlet(VerbsData.Sync, "S3Bucket", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
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

    /// <summary>With -Delete: the largest share of the destination's objects, in percent, that may be deleted (default 50).</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaxDeletePercent { get; set; } = S3SyncRequest.DefaultMaxDeletePercent;

    /// <summary>With -Delete: delete even when the source is empty or more than -MaxDeletePercent of the destination would go.</summary>
    [Parameter] public SwitchParameter AllowMassDelete { get; set; }

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
            MaxDeletePercent = MaxDeletePercent,
            AllowMassDelete = AllowMassDelete,
            ThrottleLimit = ThrottleLimit,
        };
        S3BucketSyncer.Validate(request);
        using var session = NewSession();
        var target = request.Destination.ToString();

        // Plan first (both listings, reads only), so that the question says what will be copied and deleted.
        S3SyncPlan? plan = null;
        try
        {
            plan = Run(ct => S3BucketSyncer.PlanAsync(session, request, ct));
            S3BucketSyncer.CheckDeletes(plan);
        }
        catch (OpsException ex)
        {
            // Refused or not listable: nothing was changed; the journal says so (as a WhatIf under -WhatIf).
            var tried = plan?.Describe() ?? $"Sync from {request.Source} (compare {Compare}){(Delete ? " with -Delete" : "")}";
            Journal(target, tried, IsWhatIf ? JournalOutcome.WhatIf : JournalOutcome.Failed, TimeSpan.Zero, ex.ErrorId, ex.Message);
            throw;
        }
        var action = plan.Describe();
        WriteVerbose($"Plan: {action}.");
        if (!Ask(target, action, Force)) return;
        var log = new S3ChangeLog();
        var result = RunRecorded(target, action, log, "object",
            ct => S3BucketSyncer.ExecuteAsync(session, plan, EmitError, new Progress(this, request), log, ct));
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
