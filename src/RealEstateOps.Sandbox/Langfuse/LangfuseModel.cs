using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Langfuse;

// The sandbox's Langfuse data, as Langfuse's public API describes it (OpenAPI definition of langfuse/langfuse,
// fern/apis/server/definition: observations v2, metrics v2, scores v3, datasets v2, dataset items).

/// <summary>One observation (a trace's root SPAN, a GENERATION, or a child SPAN) with the trace attributes Langfuse v4 denormalises onto it.</summary>
public sealed record LangfuseObservation
{
    public required string Id { get; init; }
    public required string TraceId { get; init; }
    public string? ParentObservationId { get; init; }
    public required string Type { get; init; } // SPAN, GENERATION, EVENT
    public required string Name { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public DateTimeOffset? CompletionStartTime { get; init; }
    public string Level { get; init; } = "DEFAULT"; // DEBUG, DEFAULT, WARNING, ERROR
    public string? StatusMessage { get; init; }
    public string Environment { get; init; } = "production";
    public string? Version { get; init; }
    public string? Release { get; init; }
    public string? UserId { get; init; }
    public string? SessionId { get; init; }
    public required string TraceName { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    public JsonNode? Input { get; init; }
    public JsonNode? Output { get; init; }
    public string? ProvidedModelName { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public decimal? InputCost { get; init; }
    public decimal? OutputCost { get; init; }
    public string? PromptName { get; init; }
    public int? PromptVersion { get; init; }

    public bool IsRoot => ParentObservationId is null;
    public long? TotalTokens => InputTokens is null && OutputTokens is null ? null : (InputTokens ?? 0) + (OutputTokens ?? 0);
    public decimal? TotalCost => InputCost is null && OutputCost is null ? null : (InputCost ?? 0) + (OutputCost ?? 0);
    /// <summary>Milliseconds from start to end (the metrics API's unit; the observations API says seconds).</summary>
    public double? LatencyMs => EndTime is { } end ? (end - StartTime).TotalMilliseconds : null;
    public double? TimeToFirstTokenMs => CompletionStartTime is { } first ? (first - StartTime).TotalMilliseconds : null;
}

/// <summary>A score on a trace (user feedback from the app, an evaluator's hallucination score, ...).</summary>
public sealed record LangfuseScore
{
    public required string Id { get; init; }
    public required string TraceId { get; init; }
    public string? ObservationId { get; init; }
    public required string Name { get; init; }
    public required double Value { get; init; }
    public string DataType { get; init; } = "NUMERIC";
    public string Source { get; init; } = "API"; // API, EVAL, ANNOTATION
    public required DateTimeOffset Timestamp { get; init; }
    public string Environment { get; init; } = "production";
    public string? Comment { get; init; }
    public required string TraceName { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    public string? UserId { get; init; }
}

public sealed record LangfuseDataset
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public JsonNode? Metadata { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

public sealed record LangfuseDatasetItem
{
    public required string Id { get; init; }
    public required string DatasetId { get; init; }
    public required string DatasetName { get; init; }
    public string Status { get; init; } = "ACTIVE";
    public JsonNode? Input { get; init; }
    public JsonNode? ExpectedOutput { get; init; }
    public JsonNode? Metadata { get; init; }
    public string? SourceTraceId { get; init; }
    public string? SourceObservationId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A refusal in Langfuse's shape: the HTTP status and <c>{"message": ..., "error": ...}</c>.</summary>
public sealed class LangfuseFault : Exception
{
    public LangfuseFault(int status, string error, string message) : base(message)
    {
        Status = status;
        Error = error;
    }

    public int Status { get; }
    public string Error { get; }

    public static LangfuseFault BadRequest(string message) => new(400, "InvalidRequestError", message);
    public static LangfuseFault NotFound(string message) => new(404, "LangfuseNotFoundError", message);
}
