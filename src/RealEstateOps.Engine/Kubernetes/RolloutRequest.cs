namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A deployment's rollout to restart, wait for, list or undo.</summary>
public sealed record RolloutRequest(string Namespace, string Name)
{
    /// <summary>Undo: the revision to go back to (Get-RolloutHistory); 0 for the previous one.</summary>
    public int ToRevision { get; init; }
    /// <summary>Wait: how long the rollout may take to complete.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
