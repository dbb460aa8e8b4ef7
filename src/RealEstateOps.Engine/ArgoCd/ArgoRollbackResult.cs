using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>What Undo-ArgoApplication did: from which deployment to which, whether automated sync was turned off, and the state after it.</summary>
public sealed class ArgoRollbackResult
{
    public string Application { get; init; } = "";
    public long? FromHistoryId { get; init; }
    public string? FromRevision { get; init; }
    public string? FromTag { get; init; }
    public long HistoryId { get; init; }
    public string? ToRevision { get; init; }
    public string? ToTag { get; init; }
    public bool AutoSyncDisabled { get; init; }
    public ArgoSyncStatus Sync { get; init; }
    public ArgoHealthStatus Health { get; init; }
    public ArgoOperationPhase? OperationPhase { get; init; }
    /// <summary>Whether the command waited for the rollback to settle (-Wait).</summary>
    public bool Waited { get; init; }
    /// <summary>Test-Deployment's verdict for the application's namespace after the wait; null without -Wait.</summary>
    public DeploymentVerification? DeploymentCheck { get; init; }

    /// <summary>Where it went from and to: the tag, else the short revision (for views).</summary>
    public string? From => FromTag ?? ArgoApplication.Short(FromRevision);
    public string? To => ToTag ?? ArgoApplication.Short(ToRevision);

    public override string ToString() => $"{Application}: {FromTag ?? ArgoApplication.Short(FromRevision)} -> {ToTag ?? ArgoApplication.Short(ToRevision)} ({Sync}, {Health})";
}
