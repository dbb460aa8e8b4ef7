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
/// -AllowMassDelete. -CreateDestination makes a missing destination bucket like the source first.
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

    /// <summary>
    /// SizeAndTime (like aws s3 sync) or Checksum (same-size objects compared by their stored checksums). A string,
    /// not the engine's S3SyncCompare: an enum parameter is a value-typed field of this class, and PowerShell lays out
    /// the cmdlet classes (GetExportedTypes) before ModuleInit can resolve the engine assembly; engine classes
    /// (reference types, such as Restore-S3Object's S3Version[]) do not need the engine until they are used.
    /// </summary>
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

    /// <summary>
    /// Creates the destination bucket when it does not exist (in -DestinationRegion, else -Region, else the context's region) with the
    /// source's versioning, default encryption, public access block and lifecycle rules, asked and journaled on its own before the sync.
    /// An existing empty bucket is given those settings; one that holds anything is refused (S3DestinationBucketNotEmpty).
    /// </summary>
    [Parameter] public SwitchParameter CreateDestination { get; set; }

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
            CreateDestination = CreateDestination,
            ThrottleLimit = ThrottleLimit,
        };
        request.Validate();
        var syncer = new S3BucketSyncer(S3);
        var target = request.Destination.ToString();

        // Plan first (both listings, reads only), so that the question says what will be copied and deleted.
        S3SyncPlan? plan = null;
        try
        {
            plan = Run(ct => syncer.PlanAsync(request, ct));
            plan.CheckDeletes();
        }
        catch (OpsException ex)
        {
            // Refused or not listable: nothing was changed; the journal says so (as a WhatIf under -WhatIf).
            var tried = plan?.Describe() ?? $"Sync from {request.Source} (compare {Compare}){(Delete ? " with -Delete" : "")}";
            Journal(target, tried, IsWhatIf ? JournalOutcome.WhatIf : JournalOutcome.Failed, TimeSpan.Zero, ex.ErrorId, ex.Message);
            throw;
        }
        // -CreateDestination: the bucket is made first, a change of its own (asked, journaled); without it there is nothing to sync into.
        if (plan.DescribeSetup() is { } setup)
        {
            WriteVerbose($"Plan: {setup}.");
            var made = Change($"s3://{request.Destination.Bucket}", setup, ct => syncer.PrepareDestinationAsync(plan, Listener, ct), Force);
            if (made is null && !IsWhatIf) return;
        }
        var action = plan.Describe();
        WriteVerbose($"Plan: {action}.");
        if (!Ask(target, action, Force)) return;
        var log = new S3ChangeLog();
        var result = RunRecorded(target, action, log, "object",
            ct => syncer.ExecuteAsync(plan, Listener, log, ct));
        if (result is not null) WriteObject(result);
    }
}
