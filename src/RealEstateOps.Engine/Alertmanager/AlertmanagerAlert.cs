namespace RealEstateOps.Engine.Alertmanager;

/// <summary>One alert as Alertmanager holds it (API v2 gettableAlert): its labels, whether a silence or an inhibition mutes it, and its receivers.</summary>
public sealed class AlertmanagerAlert
{
    public string Name { get; init; } = "";
    public AlertmanagerAlertState State { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> SilencedBy { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> InhibitedBy { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Receivers { get; init; } = Array.Empty<string>();
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string Fingerprint { get; init; } = "";
    public string? GeneratorUrl { get; init; }

    public bool Silenced => SilencedBy.Count > 0;
    public bool Inhibited => InhibitedBy.Count > 0;
    public string? Severity => Label("severity");
    public string? Namespace => Label("namespace");
    public string? Service => Label("service");
    public string? Summary => Annotations.TryGetValue("summary", out var s) ? s : null;

    private string? Label(string name) => Labels.TryGetValue(name, out var v) ? v : null;

    public override string ToString() => $"{Name} {State} {string.Join(",", Labels.Where(l => l.Key != "alertname").Select(l => $"{l.Key}={l.Value}"))}";
}
