namespace RealEstateOps.Engine.Alertmanager;

/// <summary>One Alertmanager silence (API v2 gettableSilence).</summary>
public sealed class AlertSilence
{
    public string Id { get; init; } = "";
    public AlertSilenceState State { get; init; }
    public IReadOnlyList<AlertMatcher> Matchers { get; init; } = Array.Empty<AlertMatcher>();
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public string Comment { get; init; } = "";
    /// <summary>The Alertmanager it was read from.</summary>
    public string AlertmanagerUrl { get; init; } = "";

    /// <summary>The matchers as amtool shows them: <c>alertname="HighErrorRate" service=~"api.*"</c>.</summary>
    public string MatcherText => string.Join(" ", Matchers.Select(m => m.ToString()));

    /// <summary>Whether the silence mutes alerts with these labels (all matchers hold).</summary>
    public bool Mutes(IReadOnlyDictionary<string, string> labels) => Matchers.Count > 0 && Matchers.All(m => m.Matches(labels));

    public override string ToString() => $"{Id} {State} {MatcherText}";
}
