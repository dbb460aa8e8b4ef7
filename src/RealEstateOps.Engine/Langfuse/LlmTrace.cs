namespace RealEstateOps.Engine.Langfuse;

/// <summary>
/// A trace as Get-LlmTrace reports it, read from one of its observations (the root, or with a level filter the observation
/// at that level) with the trace attributes Langfuse v4 carries on every observation: name, user, session, tags, release.
/// Input and Output are the observation's JSON as text.
/// </summary>
public sealed class LlmTrace
{
    public string TraceId { get; init; } = "";
    public string Name { get; init; } = "";
    public string? UserId { get; init; }
    public string? SessionId { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    public DateTimeOffset StartTime { get; init; }
    public double? LatencyMs { get; init; }
    public LlmLevel Level { get; init; }
    public string? StatusMessage { get; init; }
    /// <summary>The observation this was read from (the root span, or the one at the level asked for).</summary>
    public string ObservationId { get; init; } = "";
    public string ObservationName { get; init; } = "";
    public string ObservationType { get; init; } = "";
    public string? Model { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public decimal? Cost { get; init; }
    public string? Input { get; init; }
    public string? Output { get; init; }
    public string? Environment { get; init; }
    public string? Release { get; init; }
    /// <summary>With a score range: the score that matched (its name and value).</summary>
    public string? ScoreName { get; init; }
    public double? Score { get; init; }
}
