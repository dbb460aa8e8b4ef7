using System.Diagnostics;
using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// kubectl drain: cordon, then evict the node's pods with kubectl's filters and disruption-budget handling,
/// and wait until they are gone. Several nodes (-Name array or pipeline) drain -ThrottleLimit at a time.
/// -WhatIf lists exactly what would be evicted and which budgets would block, without any change.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NodeDrain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(NodeDrainResult))]
public sealed class InvokeNodeDrainCommand : KubeCommandBase
{
    private readonly List<string> _nodes = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Skip DaemonSet pods; on by default (use -IgnoreDaemonSets:$false to refuse nodes that run them).</summary>
    [Parameter] public SwitchParameter IgnoreDaemonSets { get; set; } = true;
    [Parameter] public SwitchParameter DeleteEmptyDirData { get; set; }
    /// <summary>kubectl drain's --force: also evict pods without a controller (deleted for good: nothing recreates them).</summary>
    [Parameter] public SwitchParameter EvictUnmanaged { get; set; }
    /// <summary>Skips the confirmation prompt (never -WhatIf); it evicts nothing more than without it.</summary>
    [Parameter] public SwitchParameter Force { get; set; }
    /// <summary>Seconds each pod gets to terminate; by default the pod's own grace period.</summary>
    [Parameter] [ValidateRange(0, 86400)] public int? GracePeriod { get; set; }
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Delete pods instead of evicting them (disruption budgets are not consulted).</summary>
    [Parameter] public SwitchParameter DisableEviction { get; set; }
    /// <summary>Only pods matching this label selector.</summary>
    [Parameter] public string? PodSelector { get; set; }
    /// <summary>How many nodes drain at the same time (default 1: one by one).</summary>
    [Parameter] [ValidateRange(1, 64)] public int ThrottleLimit { get; set; } = 1;
    /// <summary>How soon an eviction refused by a disruption budget is tried again (default 2s).</summary>
    [Parameter] [Duration] public TimeSpan EvictionRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    private DrainOptions Options() => new()
    {
        IgnoreDaemonSets = IgnoreDaemonSets, DeleteEmptyDirData = DeleteEmptyDirData, EvictUnmanaged = EvictUnmanaged, GracePeriodSeconds = GracePeriod,
        Timeout = Timeout, DisableEviction = DisableEviction, PodSelector = PodSelector, EvictionRetryInterval = EvictionRetryInterval,
    };

    protected override void ProcessRecordCore()
    {
        var kube = Kube();
        foreach (var node in Name)
        {
            if (IsWhatIf)
            {
                // What would happen, from reads only; then the usual "What if:" line and a WhatIf journal entry.
                try
                {
                    var preview = Run(ct => new NodeDrainer(kube).PreviewAsync(node, Options(), ct));
                    WriteObject(preview);
                }
                catch (OpsException ex) { WriteOpsError(ex); continue; }
                Change(node, "Drain node (cordon, evict pods)", () => { }, Force);
                continue;
            }
            if (ShouldChange(node, "Drain node (cordon, evict pods)", Force)) _nodes.Add(node);
            else Journal(node, "Drain node (cordon, evict pods)", JournalOutcome.Declined, TimeSpan.Zero);
        }
    }

    protected override void EndProcessingCore()
    {
        if (_nodes.Count > 0)
        {
            var kube = Kube();
            var options = Options();
            Run(async ct =>
            {
                await Parallel.ForEachAsync(_nodes, new ParallelOptions { MaxDegreeOfParallelism = ThrottleLimit, CancellationToken = ct }, async (node, token) =>
                {
                    var watch = Stopwatch.StartNew();
                    string? stopped = null;
                    void Log(string message)
                    {
                        if (message.StartsWith("Stopped:", StringComparison.Ordinal)) stopped = message;
                        EmitVerbose(message);
                    }
                    try
                    {
                        var result = await new NodeDrainer(kube).DrainAsync(node, options, Log, WaitProgress(1 + _nodes.IndexOf(node)), token).ConfigureAwait(false);
                        Emit(result);
                        Journal(node, "Drain node (cordon, evict pods)", JournalOutcome.Succeeded, watch.Elapsed);
                    }
                    catch (DrainException ex)
                    {
                        Emit(ex.Result);
                        EmitError(ex);
                        Journal(node, "Drain node (cordon, evict pods)", JournalOutcome.Failed, watch.Elapsed, ex.ErrorId, ex.Message);
                    }
                    catch (OpsException ex)
                    {
                        EmitError(ex);
                        Journal(node, "Drain node (cordon, evict pods)", JournalOutcome.Failed, watch.Elapsed, ex.ErrorId, ex.Message);
                        if (ex.IsFatal) throw;
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl+C: the pipeline no longer takes output, so what is gone and what remains goes to the journal and the host.
                        var summary = stopped ?? $"Stopped: node/{node} stays cordoned.";
                        Journal(node, "Drain node (cordon, evict pods)", JournalOutcome.Failed, watch.Elapsed, "OperationStopped", summary);
                        try { Host.UI.WriteWarningLine(summary); } catch (Exception ex) when (ex is NotImplementedException or PSInvalidOperationException or InvalidOperationException) { }
                        throw;
                    }
                }).ConfigureAwait(false);
            });
        }
    }
}
