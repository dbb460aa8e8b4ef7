using System.Management.Automation;
using RealEstateOps.Engine.Investigation;

namespace RealEstateOps.Commands.Investigation;

/// <summary>The changes in the window, newest first: deployments' new revisions and this module's journal entries (Argo CD syncs are not read: no client yet, said as a warning).</summary>
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

    /// <summary>Rollouts or journal entries only.</summary>
    [Parameter]
    [ValidateSet("Rollout", "Journal")]
    public string[]? Kind { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var end = DateTimeOffset.UtcNow;
        var start = end - Since;
        var kinds = Kind ?? new[] { "Rollout", "Journal" };
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
        WriteWarning(AlertInvestigator.ArgoCdNotConfigured);
        foreach (var change in changes.OrderByDescending(c => c.Time)) WriteObject(change);
    }
}
