namespace RealEstateOps.Engine.Eks;

/// <summary>One health issue EKS reports on a cluster, node group or add-on (its <c>health.issues[]</c>): AWS's code, message and the resources concerned.</summary>
public sealed class EksHealthIssue
{
    /// <summary>AWS's issue code: NodeCreationFailure, PodEvictionFailure, InsufficientNumberOfReplicas, ...</summary>
    public string Code { get; init; } = "";
    public string Message { get; init; } = "";
    public IReadOnlyList<string> ResourceIds { get; init; } = Array.Empty<string>();

    public override string ToString() => ResourceIds.Count == 0 ? $"{Code}: {Message}" : $"{Code}: {Message} ({string.Join(", ", ResourceIds)})";
}
