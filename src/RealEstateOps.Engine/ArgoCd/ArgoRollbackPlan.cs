namespace RealEstateOps.Engine.ArgoCd;

/// <summary>What a rollback will do, worked out before any change: from the current history entry to the chosen one.</summary>
public sealed class ArgoRollbackPlan
{
    public required ArgoApplication Application { get; init; }
    public ArgoHistoryEntry? From { get; init; }
    public required ArgoHistoryEntry To { get; init; }
    /// <summary>Whether automated sync must be turned off first (it is on and -DisableAutoSync was given).</summary>
    public bool DisablesAutoSync { get; init; }
    public bool Prune { get; init; }
}
