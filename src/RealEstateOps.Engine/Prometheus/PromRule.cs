namespace RealEstateOps.Engine.Prometheus;

/// <summary>A rule as Prometheus' <c>/api/v1/rules</c> reports it: what it is, and how its evaluation goes.</summary>
public sealed class PromRule
{
    public string Group { get; init; } = "";
    /// <summary>The rule file the group was loaded from.</summary>
    public string? File { get; init; }
    public string Name { get; init; } = "";
    public PromRuleType Type { get; init; }
    public string Query { get; init; } = "";
    /// <summary>An alerting rule's <c>for</c> (zero when it fires at once).</summary>
    public TimeSpan Duration { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = PromJson.NoLabels;
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = PromJson.NoLabels;
    /// <summary>An alerting rule's state (Inactive, Pending, Firing); null for a recording rule.</summary>
    public PromAlertState? State { get; init; }
    public PromRuleHealth Health { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastEvaluation { get; init; }
    public TimeSpan? EvaluationTime { get; init; }
    /// <summary>An alerting rule's active alerts.</summary>
    public IReadOnlyList<PromAlert> Alerts { get; init; } = Array.Empty<PromAlert>();
    public string? Severity => Labels.TryGetValue("severity", out var s) ? s : null;
}
