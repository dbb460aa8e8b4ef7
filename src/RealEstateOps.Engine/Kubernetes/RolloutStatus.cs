namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A deployment's rollout as kubectl rollout status reports it.</summary>
public sealed class RolloutStatus
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Revision { get; init; }
    public int Replicas { get; init; }
    public int Updated { get; init; }
    public int Ready { get; init; }
    public int Available { get; init; }
    public RolloutState Status { get; init; }
    public string Message { get; init; } = "";
    public DateTimeOffset? RestartedAt { get; init; }
    public TimeSpan Duration { get; internal set; }
}
