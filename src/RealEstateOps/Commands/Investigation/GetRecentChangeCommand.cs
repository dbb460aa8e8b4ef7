using System.Management.Automation;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Investigation;

namespace RealEstateOps.Commands.Investigation;

/// <summary>The changes in the window, newest first: deployments' new revisions, Argo CD's syncs into the namespace (when Argo CD is configured; a warning says why not) and this module's journal entries.</summary>
[Cmdlet(VerbsCommon.Get, "RecentChange")]
[OutputType(typeof(RecentChange))]
public sealed class GetRecentChangeCommand : Kubernetes.KubeCommandBase
{
    [Parameter]
    [Common.Duration]
    public TimeSpan Since { get; set; } = TimeSpan.FromHours(1);

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only the rollouts of these deployments (journal entries are all listed).</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(Completers.DeploymentNameCompleter))]
    public string[]? Service { get; set; }

    /// <summary>Rollouts, Argo CD syncs or journal entries only.</summary>
    [Parameter]
    [ValidateSet("Rollout", "ArgoCdSync", "Journal")]
    public string[]? Kind { get; set; }

    private readonly OwnedClient<ArgoClient> _argo = new();

    protected override string? NamespaceParameter => Namespace;

    private string NamespaceOrContext() => Namespace ?? Setting(null, "Namespace", c => c.Namespace)?.Value ?? "default";

    protected override void ReleaseResources()
    {
        _argo.Release();
        base.ReleaseResources();
    }

    protected override void ProcessRecordCore()
    {
        var end = DateTimeOffset.UtcNow;
        var start = end - Since;
        var kinds = Kind ?? new[] { "Rollout", "ArgoCdSync", "Journal" };
        var changes = new List<RecentChange>();
        if (kinds.Contains("Rollout", StringComparer.OrdinalIgnoreCase))
        {
            var client = Client();
            var ns = Namespace ?? client.Namespace;
            var investigator = new AlertInvestigator(null, client);
            changes.AddRange(Run(ct => investigator.RolloutsAsync(ns, start, null, Service, null, ct)));
        }
        if (kinds.Contains("Journal", StringComparer.OrdinalIgnoreCase))
            changes.AddRange(AlertInvestigator.JournalEntries(Paths.JournalFile, start, end).Select(AlertInvestigator.ChangeOf));
        if (kinds.Contains("ArgoCdSync", StringComparer.OrdinalIgnoreCase))
        {
            var argo = ArgoQueriesOrReason(_argo, out var unavailable);
            var investigator = new AlertInvestigator(null, null, argo: argo, argoUnavailable: unavailable);
            if (argo is null) WriteWarning(investigator.ArgoCdUnavailable + ".");
            else
            {
                var ns = NamespaceOrContext(); // on the pipeline thread: the setting's source goes to verbose
                changes.AddRange(Run(ct => investigator.SyncsAsync(ns, start, null, Listener, ct)));
            }
        }
        foreach (var change in changes.OrderByDescending(c => c.Time)) WriteObject(change);
    }
}
