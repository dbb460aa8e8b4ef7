namespace RealEstateOps.Engine.Prometheus;

/// <summary>Which active alerts to list: names (wildcards allowed) and the state. Null: all.</summary>
public sealed record PromAlertQuery
{
    public IReadOnlyList<string>? Names { get; init; }
    public PromAlertState? State { get; init; }
}
