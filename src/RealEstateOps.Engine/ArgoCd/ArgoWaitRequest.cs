namespace RealEstateOps.Engine.ArgoCd;

/// <summary>
/// What a wait waits for: as `argocd app wait` does by default, Synced, Healthy and no operation in progress. After a
/// rollback the target revision is ahead of what runs, so Argo CD shows OutOfSync: <see cref="Revision"/> then replaces the
/// Synced condition by "the last operation synced this revision and succeeded".
/// </summary>
public sealed class ArgoWaitRequest
{
    public required string Name { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>When set: the revision the last operation must have synced (a rollback's); sync status is then not required.</summary>
    public string? Revision { get; init; }
    /// <summary>The first interval between polls (it grows to 5 s while nothing changes).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
