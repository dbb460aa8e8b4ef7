namespace RealEstateOps.Engine.S3;

/// <summary>What a restore did to one key.</summary>
public enum S3RestoreAction
{
    /// <summary>Nothing was changed (already current, not found, or failed).</summary>
    None,
    /// <summary>The delete markers on top were removed: the newest version below them is current again, nothing copied.</summary>
    RemovedDeleteMarker,
    /// <summary>An earlier version was copied onto the key (server-side), keeping the history.</summary>
    CopiedVersion,
    /// <summary>The key did not exist at the restore's time and was deleted (a delete marker; history stays).</summary>
    DeletedNewer,
}
