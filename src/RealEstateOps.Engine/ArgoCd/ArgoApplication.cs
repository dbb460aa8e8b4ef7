namespace RealEstateOps.Engine.ArgoCd;

/// <summary>
/// An Argo CD application as argocd-server returns it: sync and health, the revision compared and the one deployed last,
/// the source, automated sync, the current or last operation, and the resources that are out of sync (status.resources)
/// or unhealthy (the resource tree: since Argo CD 3.0 per-resource health is only there).
/// </summary>
public sealed class ArgoApplication
{
    public string Name { get; init; } = "";
    public string Project { get; init; } = "";
    public ArgoSyncStatus SyncStatus { get; init; }
    public ArgoHealthStatus Health { get; init; }
    public string? HealthMessage { get; init; }
    /// <summary>The git revision the target revision resolved to when last compared (status.sync.revision).</summary>
    public string? Revision { get; init; }
    /// <summary>The revision of the newest history entry: what was deployed last.</summary>
    public string? DeployedRevision { get; init; }
    public string? TargetRevision { get; init; }
    public string? RepoUrl { get; init; }
    public string? Path { get; init; }
    public string? DestinationServer { get; init; }
    public string? DestinationNamespace { get; init; }
    /// <summary>Whether spec.syncPolicy.automated is set (Argo CD syncs new commits by itself and refuses rollbacks).</summary>
    public bool AutoSync { get; init; }
    /// <summary>Whether an operation was requested that the controller has not finished (app.operation is set).</summary>
    public bool OperationRequested { get; init; }
    public ArgoOperationPhase? OperationPhase { get; init; }
    public string? OperationMessage { get; init; }
    public DateTimeOffset? OperationStartedAt { get; init; }
    public DateTimeOffset? OperationFinishedAt { get; init; }
    /// <summary>The revision the last operation synced (status.operationState.syncResult.revision).</summary>
    public string? OperationRevision { get; init; }
    public IReadOnlyList<ArgoResource> OutOfSyncResources { get; init; } = Array.Empty<ArgoResource>();
    public IReadOnlyList<ArgoResource> UnhealthyResources { get; init; } = Array.Empty<ArgoResource>();
    public IReadOnlyList<string> Images { get; init; } = Array.Empty<string>();
    public DateTimeOffset? ReconciledAt { get; init; }
    public IReadOnlyList<ArgoHistoryEntry> History { get; init; } = Array.Empty<ArgoHistoryEntry>();

    /// <summary>Whether an operation is requested or running (what `argocd app wait --operation` waits for).</summary>
    public bool OperationInProgress => OperationRequested || OperationPhase is ArgoOperationPhase.Running or ArgoOperationPhase.Terminating;

    /// <summary>The deployed revision (else the synced one) in its short form, for views.</summary>
    public string? ShortRevision => Short(DeployedRevision ?? Revision);

    /// <summary>The short form of a revision (the first 8 characters of a commit).</summary>
    public static string? Short(string? revision) => revision is { Length: > 8 } r && r.All(Uri.IsHexDigit) ? r[..8] : revision;

    public override string ToString() => $"{Name} ({SyncStatus}, {Health})";
}
