using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// kubectl drain: cordon, then evict the node's pods with kubectl's filters and disruption-budget handling,
/// and wait until they are gone. Several nodes (-Name array or pipeline) drain -ThrottleLimit at a time.
/// -WhatIf lists exactly what would be evicted and which budgets would block, without any change.
/// </summary>
[Maintenance.MaintenanceWindow("Kubernetes")]
[Cmdlet(VerbsLifecycle.Invoke, "NodeDrain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(NodeDrainResult))]
public sealed class InvokeNodeDrainCommand : KubeCommandBase
{
    private readonly List<string> _nodes = new();
    private readonly List<string> _named = new();

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

    /// <summary>Silences the nodes' alerts and PodRestartingOften/HighErrorRate of the namespaces whose pods move, for the drain; expired when it ends.</summary>
    [Parameter] public SwitchParameter SilenceAlerts { get; set; }

    /// <summary>The Alertmanager for -SilenceAlerts; defaults to the context's ServiceUrls['alertmanager'].</summary>
    [Parameter] public string? AlertmanagerUrl { get; set; }

    private const string DrainAction = "Drain node (cordon, evict pods)";

    private DrainOptions Options() => new()
    {
        IgnoreDaemonSets = IgnoreDaemonSets, DeleteEmptyDirData = DeleteEmptyDirData, EvictUnmanaged = EvictUnmanaged, GracePeriodSeconds = GracePeriod,
        Timeout = Timeout, DisableEviction = DisableEviction, PodSelector = PodSelector, EvictionRetryInterval = EvictionRetryInterval, ThrottleLimit = ThrottleLimit,
    };

    protected override void ProcessRecordCore()
    {
        var client = Client();
        foreach (var node in Name)
        {
            _named.Add(node);
            if (IsWhatIf)
            {
                // What would happen, from reads only; then the usual "What if:" line and a WhatIf journal entry.
                try
                {
                    var preview = Run(ct => new NodeDrainer(client).PreviewAsync(node, Options(), ct));
                    WriteObject(preview);
                }
                catch (OpsException ex) { WriteOpsError(ex); continue; }
                Change(node, DrainAction, () => { }, Force);
                continue;
            }
            if (ShouldChange(node, DrainAction, Force)) _nodes.Add(node);
            else Journal(node, DrainAction, JournalOutcome.Declined, TimeSpan.Zero);
        }
    }

    /// <summary>The confirmed nodes drain together, ThrottleLimit at a time: the engine drains, this cmdlet journals and writes each node's end.</summary>
    protected override void EndProcessingCore()
    {
        var nodes = IsWhatIf ? _named : _nodes;
        if (nodes.Count == 0) return;
        var client = Client();
        var options = Options();
        var events = new DrainEvents(this);
        // The silence lasts for the window, else for the drain's own time limit per round of ThrottleLimit nodes.
        var limit = Timeout * Math.Ceiling(nodes.Count / (double)ThrottleLimit);
        WithMaintenanceSilence(SilenceAlerts, AlertmanagerUrl, MaintenanceKind.Kubernetes, limit,
            () => Run(ct => MaintenanceSilenceScopes.ForDrainAsync(client, nodes, ct)),
            () => { if (!IsWhatIf) Run(ct => new NodeDrainer(client).DrainManyAsync(nodes, options, events, ct)); });
    }

    /// <summary>
    /// The drain's events: a node's end is journaled at once, on the drain's thread (after Ctrl+C nothing reads the
    /// pipeline, and the journal must still say what remains), then its result written; the rest goes to <see cref="OpsCommandBase.Listener"/>.
    /// </summary>
    private sealed class DrainEvents : IProgress<OpsEvent>
    {
        private readonly InvokeNodeDrainCommand _cmdlet;

        public DrainEvents(InvokeNodeDrainCommand cmdlet) => _cmdlet = cmdlet;

        public void Report(OpsEvent value)
        {
            if (value is not NodeDrainEnded ended)
            {
                _cmdlet.Listener.Report(value);
                return;
            }
            if (ended.Stopped)
            {
                _cmdlet.Journal(ended.Node, DrainAction, JournalOutcome.Failed, ended.Duration, "OperationStopped", ended.Message);
                try { _cmdlet.Host.UI.WriteWarningLine(ended.Message); } catch (Exception ex) when (ex is NotImplementedException or PSInvalidOperationException or InvalidOperationException) { }
                return;
            }
            if (ended.Result is { } result) _cmdlet.Emit(result);
            if (ended.Error is { } error) _cmdlet.Journal(ended.Node, DrainAction, JournalOutcome.Failed, ended.Duration, error.ErrorId, error.Message);
            else _cmdlet.Journal(ended.Node, DrainAction, JournalOutcome.Succeeded, ended.Duration);
        }
    }
}
