using System.Text.Json.Nodes;

namespace RealEstateOps.Engine.Langfuse;

/// <summary>A dataset item to add (Add-LlmDatasetItem): from a trace, or input and expected output given.</summary>
public sealed record LlmDatasetItemRequest
{
    public required string DatasetName { get; init; }
    public JsonNode? Input { get; init; }
    public JsonNode? ExpectedOutput { get; init; }
    public JsonObject? Metadata { get; init; }
    public string? SourceTraceId { get; init; }
    public string? SourceObservationId { get; init; }
}
