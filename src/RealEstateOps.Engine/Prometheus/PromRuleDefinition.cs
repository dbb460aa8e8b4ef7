namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// A rule as written in a PrometheusRule object in the cluster (<c>monitoring.coreos.com/v1</c>): where it lives
/// (namespace, object, group) and what it says. What Prometheus makes of it is a <see cref="PromRule"/>.
/// </summary>
public sealed class PromRuleDefinition
{
    public string Namespace { get; init; } = "";
    /// <summary>The PrometheusRule object's name.</summary>
    public string ObjectName { get; init; } = "";
    public string Group { get; init; } = "";
    public string Name { get; init; } = "";
    public PromRuleType Type { get; init; }
    public string Expression { get; init; } = "";
    /// <summary>The rule's <c>for</c> as written ("10s", "5m"), or null.</summary>
    public string? For { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = PromJson.NoLabels;
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = PromJson.NoLabels;
    public string? Severity => Labels.TryGetValue("severity", out var s) ? s : null;
    public string? Summary => Annotations.TryGetValue("summary", out var s) ? s : null;
    /// <summary>The rule as YAML, as it stands in the object.</summary>
    public string Yaml { get; init; } = "";
}
