using System.Diagnostics;
using System.Management.Automation;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// Base of the RDS cmdlets: one RDS client per command (region, credentials and endpoint resolved by
/// AwsCommandBase; retries said in verbose output), the instance id from the parameter or the context, and
/// waits that, when stopped with Ctrl+C, say what is still in progress on AWS's side.
/// </summary>
public abstract class RdsCommandBase : AwsCommandBase
{
    private readonly OwnedClient<RdsClient> _client = new();
    private RdsOperations? _ops;

    protected RdsOperations Rds => _ops ??= new RdsOperations(_client.Get(() => RdsClient.Create(Aws("rds"), onRetry: (request, attempt, reason, delay) =>
        EmitVerbose($"RDS: attempt {attempt} failed ({reason}); retrying in {delay.TotalMilliseconds:0} ms."))));

    /// <summary>Resolves region, credentials and endpoint here, on the pipeline thread (they go to the verbose stream), before any engine work.</summary>
    protected override void BeginProcessingCore() => _ = Rds;

    /// <summary>RDS clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<RdsClient>.Open;

    /// <summary>Disposed when the pipeline ends, however it ends (see <see cref="OpsCommandBase.Dispose"/>).</summary>
    protected override void ReleaseResources() => _client.Release();

    /// <summary>The DB instance id from the parameter or the context (DbInstanceId), validated by RDS's rules.</summary>
    protected string InstanceId(string? given, string parameter = "DbInstanceId")
    {
        var id = Setting(given, parameter, c => c.DbInstanceId)?.Value
                 ?? throw new OpsException("DbInstanceIdNotSet", OpsErrorCategory.InvalidArgument,
                     $"No DB instance: give -{parameter}, or set DbInstanceId in the context (Set-OpsContext -DbInstanceId).");
        RdsIdentifiers.ValidateInstanceId(id, parameter);
        return id;
    }

    /// <summary>
    /// Waits through the engine's waiter with Write-Progress. Ctrl+C stops the wait at once; nothing of ours is
    /// left half-done (the change itself was already made), and the operator is told on the host what AWS is still
    /// doing. The stop then ends the command as WaitStopped, whose message says so too: a change with -Wait
    /// (ChangeThenWait) journals it in its one entry.
    /// </summary>
    protected T WaitFor<T>(string target, string what, Func<IProgress<WaitProgress>, CancellationToken, Task<T>> wait, string checkWith)
    {
        var tracker = new LastStatus(WaitProgress());
        var watch = Stopwatch.StartNew();
        try
        {
            return Run(ct => wait(tracker, ct));
        }
        catch (PipelineStoppedException ex) when (Stopping)
        {
            var message = $"Stopped waiting for {what} after {Waiter.Format(watch.Elapsed)}; on AWS it is still in progress " +
                          $"(last status: {tracker.Status ?? "unknown"}). Nothing was undone. Check with {checkWith}.";
            try { Host.UI.WriteWarningLine(message); } catch (Exception e) when (e is PipelineStoppedException or InvalidOperationException or NotImplementedException) { }
            // Written as an error while the pipeline stops, it ends the command as the stop it is.
            throw new OpsException("WaitStopped", OpsErrorCategory.OperationStopped, message, target, ex);
        }
    }

    private sealed class LastStatus : IProgress<WaitProgress>
    {
        private readonly IProgress<WaitProgress> _inner;
        public LastStatus(IProgress<WaitProgress> inner) => _inner = inner;
        public string? Status { get; private set; }

        public void Report(WaitProgress value)
        {
            Status = value.Status;
            _inner.Report(value);
        }
    }

    /// <summary>Hashtable of tags (-Tag @{ key = 'value' }) as a string dictionary.</summary>
    protected static Dictionary<string, string>? TagsOf(System.Collections.Hashtable? tags) =>
        tags?.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => e.Value?.ToString() ?? "", StringComparer.Ordinal);
}
