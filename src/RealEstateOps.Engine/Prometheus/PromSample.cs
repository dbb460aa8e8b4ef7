namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// One value of a query's result: a vector's element, one point of a matrix's series, a scalar or a string.
/// <see cref="Value"/> is NaN, +Inf or -Inf when Prometheus says so; a string result keeps its text in
/// <see cref="Text"/> (its <see cref="Value"/> is NaN).
/// </summary>
public sealed class PromSample
{
    public PromResultType ResultType { get; init; }
    /// <summary>The series' labels (<c>__name__</c> included when the result keeps it); empty for a scalar or string.</summary>
    public IReadOnlyDictionary<string, string> Metric { get; init; } = PromJson.NoLabels;
    /// <summary>The metric name (the <c>__name__</c> label), or null when the expression dropped it.</summary>
    public string? Name => Metric.TryGetValue("__name__", out var n) ? n : null;
    public DateTimeOffset Timestamp { get; init; }
    public double Value { get; init; }
    /// <summary>The value as Prometheus wrote it ("0.25", "NaN", "+Inf", or a string result's text).</summary>
    public string Text { get; init; } = "";
    /// <summary>The series' labels without <c>__name__</c>, as PromQL writes them: <c>{code="500", service="api-service"}</c>.</summary>
    public string Labels => PromJson.FormatLabels(Metric);

    /// <summary>A label's value, or null.</summary>
    public string? Label(string name) => Metric.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => $"{Name}{Labels} {Text} @{Timestamp:O}";
}
