namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What to list: namespace (null for all), names with wildcards, label and field selectors, page size.</summary>
public sealed class KubeListRequest
{
    public string? Namespace { get; init; }
    public string[]? Names { get; init; }
    public string? Selector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>Items per page (limit); the continue token fetches the next page.</summary>
    public int PageSize { get; init; } = 500;
}
