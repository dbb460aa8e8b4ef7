using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Alertmanager;

/// <summary>
/// What a maintenance command silences while it works (-SilenceAlerts): one silence per matcher set, e.g. the drained
/// nodes' alerts and PodRestartingOften/HighErrorRate in the namespaces whose pods move.
/// </summary>
public sealed class MaintenanceSilenceScope
{
    /// <summary>The alerts a drain or an upgrade sets off as a matter of course.</summary>
    public static readonly string[] DisruptionAlerts = { "PodRestartingOften", "HighErrorRate" };

    public MaintenanceSilenceScope(string description, IReadOnlyList<IReadOnlyList<AlertMatcher>> matcherSets)
    {
        Description = description;
        MatcherSets = matcherSets;
    }

    /// <summary>What is being worked on, for the silence's comment (node ip-10-0-1-21, cluster real-estate-ai-cluster).</summary>
    public string Description { get; }
    public IReadOnlyList<IReadOnlyList<AlertMatcher>> MatcherSets { get; }

    /// <summary>A drain: alerts that name the nodes, and the disruption alerts of the namespaces whose pods are evicted.</summary>
    public static MaintenanceSilenceScope ForNodes(IReadOnlyCollection<string> nodes, IReadOnlyCollection<string> namespaces)
    {
        var sets = new List<IReadOnlyList<AlertMatcher>> { new[] { new AlertMatcher("node", AlertMatcher.AnyOf(nodes), isRegex: true) } };
        if (namespaces.Count > 0) sets.Add(Disruption(namespaces));
        return new MaintenanceSilenceScope((nodes.Count == 1 ? "node " : "nodes ") + string.Join(", ", nodes), sets);
    }

    /// <summary>An upgrade of a cluster or node group: the cluster's pods restart and move, in the namespaces given (all when none).</summary>
    public static MaintenanceSilenceScope ForCluster(string what, IReadOnlyCollection<string> namespaces) =>
        new(what, new[] { Disruption(namespaces) });

    private static IReadOnlyList<AlertMatcher> Disruption(IReadOnlyCollection<string> namespaces)
    {
        var set = new List<AlertMatcher> { new("alertname", AlertMatcher.AnyOf(DisruptionAlerts), isRegex: true) };
        if (namespaces.Count > 0) set.Add(new AlertMatcher("namespace", AlertMatcher.AnyOf(namespaces), isRegex: true));
        return set;
    }
}

/// <summary>
/// The one helper behind -SilenceAlerts: creates the scope's silences before a maintenance change (until the window
/// closes, or for the command's own time limit), and expires them when the command ends however it ends. Creating
/// is all or nothing (a failure expires what was made); ending never throws: a silence that cannot be expired is
/// reported with its id, and it ends on its own at its end time anyway.
/// </summary>
public sealed class MaintenanceSilence
{
    private readonly AlertSilences _silences;
    private readonly List<AlertSilence> _made = new();
    private int _ended;

    private MaintenanceSilence(AlertSilences silences) => _silences = silences;

    public IReadOnlyList<AlertSilence> Silences => _made;

    /// <summary>Comment written on each silence: who made it and why, so that it can be found (Get-AlertSilence) and told apart.</summary>
    public static string Comment(string command, MaintenanceSilenceScope scope) => $"{command} of {scope.Description}: maintenance silence, expired when the command ends";

    /// <summary>Creates one silence per matcher set of <paramref name="scope"/>, from now until <paramref name="endsAt"/>.</summary>
    public static async Task<MaintenanceSilence> StartAsync(AlertSilences silences, MaintenanceSilenceScope scope, string command, string createdBy,
        DateTimeOffset endsAt, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var result = new MaintenanceSilence(silences);
        try
        {
            foreach (var set in scope.MatcherSets)
            {
                var silence = await silences.CreateAsync(new NewAlertSilence
                {
                    Matchers = set, EndsAt = endsAt, CreatedBy = createdBy, Comment = Comment(command, scope),
                }, ct).ConfigureAwait(false);
                result._made.Add(silence);
                events.Verbose($"Silenced {silence.MatcherText} until {AlertmanagerClient.Rfc3339(endsAt)} (silence {silence.Id}).");
            }
        }
        catch
        {
            await result.EndAsync(events).ConfigureAwait(false);
            throw;
        }
        return result;
    }

    /// <summary>
    /// Expires the silences (once; later calls return the same nothing). Runs even after Ctrl+C: its own time limit, not
    /// the command's token. Returns the failures (empty when all were expired), each also a warning with the way to expire it by hand.
    /// </summary>
    public async Task<IReadOnlyList<(AlertSilence Silence, OpsException Error)>> EndAsync(IProgress<OpsEvent>? events, TimeSpan? limit = null)
    {
        var failures = new List<(AlertSilence, OpsException)>();
        if (Interlocked.Exchange(ref _ended, 1) != 0) return failures;
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        foreach (var silence in _made)
        {
            try
            {
                await _silences.Client.ExpireSilenceAsync(silence.Id, timeout.Token).ConfigureAwait(false);
                events.Verbose($"Expired the maintenance silence {silence.Id} ({silence.MatcherText}).");
            }
            catch (Exception ex) when (ex is OpsException or OperationCanceledException)
            {
                var error = ex as OpsException ?? new OpsException("AlertmanagerTimeout", OpsErrorCategory.OperationTimeout, "Alertmanager did not answer in time.", silence.Id);
                failures.Add((silence, error));
                events.Warning($"The maintenance silence {silence.Id} ({silence.MatcherText}) could not be expired ({error.ErrorId}: {error.Message}); " +
                               $"it ends by itself at {AlertmanagerClient.Rfc3339(silence.EndsAt)}. Expire it with Remove-AlertSilence -Id {silence.Id}.");
            }
        }
        return failures;
    }
}

/// <summary>Scopes read from the cluster.</summary>
public static class MaintenanceSilenceScopes
{
    /// <summary>A drain's scope: the nodes, and the namespaces of the pods that run on them now (one pod list per node).</summary>
    public static async Task<MaintenanceSilenceScope> ForDrainAsync(Kubernetes.KubeClient client, IReadOnlyCollection<string> nodes, CancellationToken ct)
    {
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        var queries = new Kubernetes.KubeQueries(client);
        foreach (var node in nodes)
            await foreach (var pod in queries.ListPodsAsync(new Kubernetes.KubeListRequest { FieldSelector = "spec.nodeName=" + node }, ct).ConfigureAwait(false))
                namespaces.Add(pod.Namespace);
        return MaintenanceSilenceScope.ForNodes(nodes, namespaces);
    }
}
