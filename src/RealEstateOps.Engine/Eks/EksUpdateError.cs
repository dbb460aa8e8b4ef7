namespace RealEstateOps.Engine.Eks;

/// <summary>One entry of an update's <c>errors[]</c>: AWS's code (PodEvictionFailure, NodeCreationFailure, ...), its message and the resources concerned (pods, nodes, instances).</summary>
public sealed class EksUpdateError
{
    public string ErrorCode { get; init; } = "";
    public string ErrorMessage { get; init; } = "";
    public IReadOnlyList<string> ResourceIds { get; init; } = Array.Empty<string>();

    public override string ToString() => ResourceIds.Count == 0 ? $"{ErrorCode}: {ErrorMessage}" : $"{ErrorCode}: {ErrorMessage} [{string.Join(", ", ResourceIds)}]";
}
