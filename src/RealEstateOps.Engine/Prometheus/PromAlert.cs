namespace RealEstateOps.Engine.Prometheus;

/// <summary>An active alert (pending or firing) from Prometheus' <c>/api/v1/alerts</c>.</summary>
public sealed class PromAlert
{
    /// <summary>The <c>alertname</c> label.</summary>
    public string Name { get; init; } = "";
    public PromAlertState State { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = PromJson.NoLabels;
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = PromJson.NoLabels;
    /// <summary>When the alert became active (pending); null when Prometheus did not say.</summary>
    public DateTimeOffset? ActiveAt { get; init; }
    /// <summary>The expression's value when the alert was last evaluated.</summary>
    public double Value { get; init; }
    public string? Severity => Labels.TryGetValue("severity", out var s) ? s : null;
    public string? Namespace => Labels.TryGetValue("namespace", out var s) ? s : null;
    public string? Service => Labels.TryGetValue("service", out var s) ? s : null;
    public string? Summary => Annotations.TryGetValue("summary", out var s) ? s : null;
    /// <summary>The labels other than alertname, as PromQL writes them.</summary>
    public string LabelText => PromJson.FormatLabels(Labels, "alertname");
}
