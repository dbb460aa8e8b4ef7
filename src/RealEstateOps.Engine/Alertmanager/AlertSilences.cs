using System.Runtime.CompilerServices;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Alertmanager;

/// <summary>
/// Silences and alerts of one Alertmanager: list (by id, matchers, state), create (checked here first: a comment,
/// an end after the start and after now, at least one matcher), expire, and the alerts with their silenced state.
/// </summary>
public sealed class AlertSilences
{
    private readonly AlertmanagerClient _client;
    private readonly TimeProvider _time;

    public AlertSilences(AlertmanagerClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public AlertmanagerClient Client => _client;

    /// <summary>
    /// The silences the query selects. Ids are read one by one, each only when the consumer asks for the next (an
    /// unknown one is SilenceNotFound, reported through <paramref name="events"/> while the others go on); otherwise one
    /// request (Alertmanager's list has no pages), filtered by state here.
    /// </summary>
    public async IAsyncEnumerable<AlertSilence> ListAsync(AlertSilenceQuery query, IProgress<OpsEvent>? events, [EnumeratorCancellation] CancellationToken ct)
    {
        bool Wanted(AlertSilence s) =>
            (query.States is not { Count: > 0 } states || states.Contains(s.State)) &&
            (query.Matchers is not { Count: > 0 } || query.Ids is not { Count: > 0 } || query.Matchers.All(m => s.Matchers.Any(sm => sm.Name == m.Name && m.Matches(new Dictionary<string, string> { [m.Name] = sm.Value }))));
        if (query.Ids is { Count: > 0 } ids)
        {
            foreach (var id in ids)
            {
                AlertSilence? silence = null;
                try { silence = await _client.GetSilenceAsync(id, ct).ConfigureAwait(false); }
                catch (OpsException ex) when (!ex.IsFatal && ex.ErrorId is "SilenceNotFound" or "SilenceIdInvalid") { events.ItemFailed(ex); }
                if (silence is not null && Wanted(silence)) yield return silence;
            }
            yield break;
        }
        foreach (var silence in await _client.ListSilencesAsync(query.Matchers, ct).ConfigureAwait(false))
            if (Wanted(silence)) yield return silence;
    }

    public Task<AlertSilence> GetAsync(string id, CancellationToken ct) => _client.GetSilenceAsync(id, ct);

    /// <summary>Checks a new silence before any request (SilenceInvalid for what Alertmanager would refuse anyway, CommentRequired).</summary>
    public DateTimeOffset Validate(NewAlertSilence request)
    {
        var now = _time.GetUtcNow();
        var start = request.StartsAt ?? now;
        string? problem = null;
        if (request.Matchers.Count == 0) problem = "a silence needs at least one matcher (e.g. alertname=HighErrorRate).";
        else if (request.Matchers.All(MatchesEmpty))
            problem = "every matcher also matches alerts without that label: at least one must name a value (Alertmanager would silence everything).";
        else if (request.EndsAt <= start) problem = $"its end ({AlertmanagerClient.Rfc3339(request.EndsAt)}) is not after its start ({AlertmanagerClient.Rfc3339(start)}).";
        else if (request.EndsAt <= now) problem = $"its end ({AlertmanagerClient.Rfc3339(request.EndsAt)}) is already past.";
        if (problem is not null)
            throw new OpsException("SilenceInvalid", OpsErrorCategory.InvalidArgument, "The silence is refused: " + problem, string.Join(" ", request.Matchers));
        if (string.IsNullOrWhiteSpace(request.Comment))
            throw new OpsException("SilenceCommentRequired", OpsErrorCategory.InvalidArgument, "A silence needs a comment saying why (an incident or change id): give -Comment.", null);
        return start;
    }

    /// <summary>Whether the matcher also holds for alerts without its label; a pattern .NET cannot read is left to Alertmanager's own parser.</summary>
    private static bool MatchesEmpty(AlertMatcher m)
    {
        try { return m.Matches(new Dictionary<string, string>()); }
        catch (ArgumentException) { return false; }
    }

    /// <summary>Creates the silence and returns it as Alertmanager now reports it (a second request reads it back).</summary>
    public async Task<AlertSilence> CreateAsync(NewAlertSilence request, CancellationToken ct)
    {
        var start = Validate(request);
        var id = await _client.PostSilenceAsync(request, start, ct).ConfigureAwait(false);
        return await _client.GetSilenceAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>Expires the silence (it stops muting at once) and returns it as it now is.</summary>
    public async Task<AlertSilence> ExpireAsync(string id, CancellationToken ct)
    {
        await _client.ExpireSilenceAsync(id, ct).ConfigureAwait(false);
        return await _client.GetSilenceAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>Alertmanager's alerts, one request, in its order.</summary>
    public async IAsyncEnumerable<AlertmanagerAlert> ListAlertsAsync(AlertmanagerAlertQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var alert in await _client.ListAlertsAsync(query, ct).ConfigureAwait(false)) yield return alert;
    }
}
