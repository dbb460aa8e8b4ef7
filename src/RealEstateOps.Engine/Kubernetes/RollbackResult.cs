namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What Undo-Deployment did: rolled back to a revision, or skipped because the template already matches it.</summary>
public sealed class RollbackResult
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public int ToRevision { get; init; }
    public bool Skipped { get; init; }
    public string Message { get; init; } = "";
    public string[] Images { get; init; } = Array.Empty<string>();
}
