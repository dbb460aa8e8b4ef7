using System.Diagnostics;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.S3;

/// <summary>
/// Base of the S3 cmdlets: one S3 client per command, opened on first use (region, credentials and endpoint
/// resolved by AwsCommandBase and said in verbose output; its retries and region lookups go to verbose as
/// events) and disposed when the pipeline ends; the bucket from the parameter or the context; and changes
/// that, when stopped, say which keys they changed.
/// </summary>
public abstract class S3CommandBase : AwsCommandBase
{
    private readonly OwnedClient<S3Client> _client = new();

    /// <summary>The command's S3 client; the first use (on the pipeline thread) opens it.</summary>
    protected S3Client S3 => OpenS3(_client);

    /// <summary>S3 clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<S3Client>.Open;

    /// <summary>Disposed when the pipeline ends, however it ends, once work a stop left running has ended (see <see cref="OpsCommandBase.Dispose"/>).</summary>
    protected override void ReleaseResources() => _client.Release();

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

    /// <summary>An agreed change with one result (see <see cref="Recorded{T}"/>), run off the pipeline thread.</summary>
    protected T? RunRecorded<T>(string target, string action, S3ChangeLog log, string noun, Func<CancellationToken, Task<T>> work) =>
        Recorded(target, action, log, noun, finished => Run(async ct =>
        {
            try { return await work(ct).ConfigureAwait(false); }
            finally { finished.Set(); }
        }));

    /// <summary>An agreed change that streams one result per item (see <see cref="Recorded{T}"/>), written with <see cref="OpsCommandBase.Stream{T}"/>.</summary>
    protected void StreamRecorded<T>(string target, string action, S3ChangeLog log, string noun, Func<CancellationToken, IAsyncEnumerable<T>> work) =>
        Recorded(target, action, log, noun, finished =>
        {
            Stream(ct => UntilDone(work(ct), finished));
            return true;
        });

    private static async IAsyncEnumerable<T> UntilDone<T>(IAsyncEnumerable<T> source, ManualResetEventSlim finished, [EnumeratorCancellation] CancellationToken ct = default)
    {
        try
        {
            await foreach (var item in source.WithCancellation(ct).ConfigureAwait(false)) yield return item;
        }
        finally
        {
            finished.Set();
        }
    }

    /// <summary>
    /// Runs an agreed change whose engine work records the keys it changed in <paramref name="log"/>, and
    /// journals it. When it is stopped (Ctrl+C), the journal entry (OperationStopped) and a warning on the
    /// host say which keys were changed before the stop and which were in flight, as Invoke-NodeDrain does
    /// for pods: the pipeline no longer takes output then.
    /// </summary>
    private T? Recorded<T>(string target, string action, S3ChangeLog log, string noun, Func<ManualResetEventSlim, T> body)
    {
        var watch = Stopwatch.StartNew();
        var finished = new ManualResetEventSlim();
        try
        {
            var result = body(finished);
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
