using System.Runtime.CompilerServices;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>
/// Reads applications and their history. An application that is not Healthy also gets its resource tree (one more
/// request), where Argo CD 3.x keeps per-resource health; a Healthy one has no unhealthy resource to name.
/// </summary>
public sealed class ArgoQueries
{
    private readonly ArgoClient _client;

    public ArgoQueries(ArgoClient client) => _client = client;

    /// <summary>
    /// Applications by name (exact names are one GET each; wildcards filter the list, which Argo CD does not page: it is
    /// one request, streamed item by item), in the order asked, then by name.
    /// </summary>
    public async IAsyncEnumerable<ArgoApplication> ListAsync(ArgoApplicationQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var names = query.Names is { Length: > 0 } n ? n : new[] { "*" };
        foreach (var p in names) Wildcard.Validate(p);
        if (names.All(p => !Wildcard.HasWildcard(p)))
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
                yield return await GetAsync(name, query.Project, ct).ConfigureAwait(false);
            yield break;
        }
        var items = await _client.ListApplicationsAsync(query.Project, ct).ConfigureAwait(false);
        var patterns = names.Select(Wildcard.ToRegex).ToList();
        foreach (var item in items.OrderBy(i => ArgoJson.Str(i["metadata"], "name"), StringComparer.Ordinal))
        {
            var app = ArgoJson.Application(item);
            if (!patterns.Any(r => r.IsMatch(app.Name))) continue;
            yield return await WithTreeAsync(item, app, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The names of all applications the token may see (one list request; for completion).</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(CancellationToken ct) =>
        (await _client.ListApplicationsAsync(null, ct).ConfigureAwait(false)).Select(i => ArgoJson.Str(i["metadata"], "name")).OfType<string>().ToList();

    public async Task<ArgoApplication> GetAsync(string name, string? project, CancellationToken ct, bool refresh = false)
    {
        var item = await _client.GetApplicationAsync(name, project, ct, refresh).ConfigureAwait(false);
        return await WithTreeAsync(item, ArgoJson.Application(item), ct).ConfigureAwait(false);
    }

    private async Task<ArgoApplication> WithTreeAsync(System.Text.Json.Nodes.JsonObject item, ArgoApplication app, CancellationToken ct) =>
        app.Health == ArgoHealthStatus.Healthy ? app : ArgoJson.Application(item, await _client.GetResourceTreeAsync(app.Name, ct).ConfigureAwait(false));

    /// <summary>
    /// The application's history, newest first, each entry with the tag at its revision (one metadata request per entry,
    /// made when the consumer asks for the entry); <paramref name="last"/> entries at most.
    /// </summary>
    public async IAsyncEnumerable<ArgoHistoryEntry> HistoryAsync(string name, int? last, IProgress<OpsEvent>? events, [EnumeratorCancellation] CancellationToken ct)
    {
        var app = ArgoJson.Application(await _client.GetApplicationAsync(name, null, ct).ConfigureAwait(false));
        foreach (var entry in last is { } n ? app.History.Take(n) : app.History)
            yield return await WithTagsAsync(entry, events, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// What Argo CD deployed into namespace <paramref name="ns"/> between <paramref name="start"/> and <paramref name="end"/>
    /// (open-ended when null): the history entries of every application whose destination is that namespace, newest
    /// first, each with its tag (for the investigation: the syncs in an alert's window).
    /// </summary>
    public async Task<IReadOnlyList<ArgoHistoryEntry>> DeploymentsAsync(string ns, DateTimeOffset start, DateTimeOffset? end, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var found = new List<ArgoHistoryEntry>();
        foreach (var item in await _client.ListApplicationsAsync(null, ct).ConfigureAwait(false))
        {
            var app = ArgoJson.Application(item);
            if (!string.Equals(app.DestinationNamespace, ns, StringComparison.Ordinal)) continue;
            foreach (var entry in app.History)
            {
                var at = entry.DeployedAt ?? entry.DeployStartedAt;
                if (at is null || at < start || (end is { } e && at > e)) continue;
                found.Add(await WithTagsAsync(entry, events, ct).ConfigureAwait(false));
            }
        }
        return found.OrderByDescending(e => e.DeployedAt ?? e.DeployStartedAt).ToList();
    }

    /// <summary>The entry with the tags git has at its revision; without them (and a verbose note) when Argo CD cannot say.</summary>
    public async Task<ArgoHistoryEntry> WithTagsAsync(ArgoHistoryEntry entry, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(entry.Revision)) return entry;
        try
        {
            var metadata = await _client.GetRevisionMetadataAsync(entry.Application, entry.Revision, ct).ConfigureAwait(false);
            return entry.WithTags(ArgoJson.Tags(metadata));
        }
        catch (OpsException ex) when (ex.ErrorId is "ArgoNotFound" or "ArgoInvalidArgument" or "ArgoCdServerError")
        {
            events.Verbose($"No tags for {entry.Application} #{entry.Id} ({ArgoApplication.Short(entry.Revision)}): {ex.Message}");
            return entry;
        }
    }
}
