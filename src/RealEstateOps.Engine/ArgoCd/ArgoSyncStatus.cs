namespace RealEstateOps.Engine.ArgoCd;

/// <summary>An application's or a resource's sync status as Argo CD reports it (status.sync.status).</summary>
public enum ArgoSyncStatus
{
    Unknown,
    Synced,
    OutOfSync,
}
