namespace RealEstateOps.Engine.Langfuse;

/// <summary>Which traces Get-LlmTrace lists; every condition given must hold.</summary>
public sealed record LlmTraceQuery
{
    /// <summary>The trace's name (chatbot-conversation, ...); several: any of them.</summary>
    public IReadOnlyList<string>? Names { get; init; }
    public string? UserId { get; init; }
    /// <summary>Tags the trace must all carry.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>Traces with an observation at this level (read from that observation); otherwise their root.</summary>
    public LlmLevel? Level { get; init; }
    /// <summary>A numeric score of this name (user-feedback by default) between MinScore and MaxScore, inclusive.</summary>
    public string ScoreName { get; init; } = "user-feedback";
    public double? MinScore { get; init; }
    public double? MaxScore { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    /// <summary>At most this many (also the page size, up to 100).</summary>
    public int? First { get; init; }
    public bool HasScoreRange => MinScore is not null || MaxScore is not null;
}
