namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// One business metric of the Monitoring runbook (active users, chatbot conversations, property searches, proposals
/// generated, conversion rate, and the platform database's counts), with where it comes from and how it was obtained.
/// </summary>
public sealed class BusinessMetric
{
    public string Name { get; init; } = "";
    /// <summary>Null when the source had no data for it.</summary>
    public double? Value { get; init; }
    /// <summary>"users", "count", "%".</summary>
    public string Unit { get; init; } = "";
    public BusinessMetricSource Source { get; init; }
    /// <summary>The window of a rate or increase (null for a gauge or a database count).</summary>
    public TimeSpan? Window { get; init; }
    /// <summary>The PromQL or SQL that gave the value.</summary>
    public string Query { get; init; } = "";
    public string Description { get; init; } = "";
    public DateTimeOffset At { get; init; }
}
