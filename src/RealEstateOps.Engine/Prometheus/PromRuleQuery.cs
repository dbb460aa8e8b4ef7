namespace RealEstateOps.Engine.Prometheus;

/// <summary>Which rules to list: names and groups (wildcards allowed), and the type. Null: all.</summary>
public sealed record PromRuleQuery
{
    public IReadOnlyList<string>? Names { get; init; }
    public IReadOnlyList<string>? Groups { get; init; }
    public PromRuleType? Type { get; init; }
}
