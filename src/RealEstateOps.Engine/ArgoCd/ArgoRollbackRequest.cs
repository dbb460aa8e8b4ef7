namespace RealEstateOps.Engine.ArgoCd;

/// <summary>A rollback to a history entry (default: the one before the current deployment).</summary>
public sealed class ArgoRollbackRequest
{
    public required string Name { get; init; }
    public long? HistoryId { get; init; }
    /// <summary>Turn automated sync off first when it is on (Argo CD refuses a rollback while it is on).</summary>
    public bool DisableAutoSync { get; init; }
    public bool Prune { get; init; }
}
