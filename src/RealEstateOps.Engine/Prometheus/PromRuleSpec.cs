namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// What New-AlertRule writes, or what Set-AlertRule changes (null: keep as it is). Labels and annotations given are set
/// one by one (an empty value removes one); Severity is the <c>severity</c> label, Summary and Description the annotations.
/// </summary>
public sealed record PromRuleSpec
{
    public required string Name { get; init; }
    public string? Expression { get; init; }
    /// <summary>A Prometheus duration ("30s", "5m", "1h30m"); an empty string removes the rule's <c>for</c>.</summary>
    public string? For { get; init; }
    public string? Severity { get; init; }
    public string? Summary { get; init; }
    public string? Description { get; init; }
    public string? RunbookUrl { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
