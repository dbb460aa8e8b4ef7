namespace RealEstateOps.Engine.Langfuse;

/// <summary>A Langfuse dataset (examples for evaluation and fine-tuning).</summary>
public sealed class LlmDataset
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    /// <summary>The dataset's metadata as JSON text.</summary>
    public string? Metadata { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
