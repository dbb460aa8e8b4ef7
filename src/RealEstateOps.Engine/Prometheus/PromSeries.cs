namespace RealEstateOps.Engine.Prometheus;

/// <summary>One series of a range query's matrix: its labels and its points in time order.</summary>
public sealed class PromSeries
{
    public IReadOnlyDictionary<string, string> Metric { get; init; } = PromJson.NoLabels;
    public IReadOnlyList<PromSample> Samples { get; init; } = Array.Empty<PromSample>();
}
