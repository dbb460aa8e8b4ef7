namespace RealEstateOps.Engine.Prometheus;

/// <summary>Which rules of the cluster's PrometheusRule objects to list. Null namespace: all namespaces; names and groups take wildcards.</summary>
public sealed record PromRuleDefinitionQuery
{
    public string? Namespace { get; init; }
    public string? ObjectName { get; init; }
    public IReadOnlyList<string>? Names { get; init; }
    public IReadOnlyList<string>? Groups { get; init; }
    public PromRuleType? Type { get; init; }
    public int PageSize { get; init; } = 500;
}
