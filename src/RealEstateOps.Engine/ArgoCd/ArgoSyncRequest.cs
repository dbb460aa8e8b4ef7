namespace RealEstateOps.Engine.ArgoCd;

/// <summary>A sync (POST /api/v1/applications/{name}/sync): the revision (default the target revision), prune, dry run.</summary>
public sealed class ArgoSyncRequest
{
    public required string Name { get; init; }
    public string? Revision { get; init; }
    /// <summary>Delete live resources that are no longer in git.</summary>
    public bool Prune { get; init; }
    public bool DryRun { get; init; }
}
