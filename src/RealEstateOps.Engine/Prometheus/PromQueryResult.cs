namespace RealEstateOps.Engine.Prometheus;

/// <summary>A query's whole answer: its type, its values (a matrix flattened series by series, in time order) and Prometheus' warnings.</summary>
public sealed class PromQueryResult
{
    public PromResultType ResultType { get; init; }
    public IReadOnlyList<PromSample> Samples { get; init; } = Array.Empty<PromSample>();
    /// <summary>A matrix's series (for a vector: one per element; for a scalar or string: one with no labels).</summary>
    public IReadOnlyList<PromSeries> Series { get; init; } = Array.Empty<PromSeries>();
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
}
