namespace RealEstateOps.Engine.Langfuse;

/// <summary>One item of a Langfuse dataset: input, expected output (JSON text), and the trace it was taken from.</summary>
public sealed class LlmDatasetItem
{
    public string Id { get; init; } = "";
    public string DatasetName { get; init; } = "";
    public string Status { get; init; } = "";
    public string? SourceTraceId { get; init; }
    public string? SourceObservationId { get; init; }
    public string? Input { get; init; }
    public string? ExpectedOutput { get; init; }
    public string? Metadata { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
