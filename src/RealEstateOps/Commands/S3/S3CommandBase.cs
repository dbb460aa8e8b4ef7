using System.Diagnostics;
using System.Management.Automation;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.S3;

/// <summary>What the S3 cmdlets share: a session on the resolved target whose retries and region lookups go to verbose.</summary>
public abstract class S3CommandBase : AwsCommandBase
{
    protected S3Session NewSession() => new(Aws("s3"), verbose: EmitVerbose);

    /// <summary>-Bucket, else the context's assets bucket (with its source written to verbose).</summary>
    protected string ResolveBucket(string? bucket)
    {
        var value = Setting(bucket, "Bucket", c => c.AssetsBucket)?.Value;
        S3Names.CheckBucket(value);
        return value!;
    }

    /// <summary>ShouldProcess (-Force skips the prompt, never -WhatIf); a WhatIf or a declined change is journaled as such.</summary>
    protected bool Ask(string target, string action, bool force)
    {
        if (ShouldChange(target, action, force)) return true;
        Journal(target, action, IsWhatIf ? JournalOutcome.WhatIf : JournalOutcome.Declined, TimeSpan.Zero);
        return false;
    }

    /// <summary>
    /// Runs an agreed change whose engine work records the keys it changed in <paramref name="log"/>, and
    /// journals it. When it is stopped (Ctrl+C), the journal entry (OperationStopped) and a warning on the
    /// host say which keys were changed before the stop and which were in flight, as Invoke-NodeDrain does
    /// for pods: the pipeline no longer takes output then.
    /// </summary>
    protected T? RunRecorded<T>(string target, string action, S3ChangeLog log, string noun, Func<CancellationToken, Task<T>> work)
    {
        var watch = Stopwatch.StartNew();
        var finished = new ManualResetEventSlim();
        try
        {
            var result = Run(async ct =>
            {
                try { return await work(ct).ConfigureAwait(false); }
                finally { finished.Set(); }
            });
            Journal(target, action, JournalOutcome.Succeeded, watch.Elapsed);
            return result;
        }
        catch (OpsException ex)
        {
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, ex.ErrorId, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or PipelineStoppedException)
        {
            // The work was cancelled with the command; its requests end quickly. Wait a moment so that what
            // they did is in the record (a request still unanswered is reported as in flight).
            finished.Wait(TimeSpan.FromSeconds(5));
            var summary = log.Describe("Stopped before it finished", noun);
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, "OperationStopped", summary);
            try { Host?.UI?.WriteWarningLine(summary); }
            catch (Exception e) when (e is NotImplementedException or PSInvalidOperationException or InvalidOperationException) { /* a host without a UI */ }
            throw;
        }
        catch (Exception ex)
        {
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, ex.GetType().Name, ex.Message);
            throw;
        }
    }
}
