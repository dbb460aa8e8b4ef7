namespace RealEstateOps.Engine.Postgres;

/// <summary>A session waiting on a lock another session holds (pg_blocking_pids).</summary>
public sealed class DbBlockingPair
{
    public int BlockedPid { get; init; }
    public string? BlockedUser { get; init; }
    public string? BlockedQuery { get; init; }
    public TimeSpan? BlockedFor { get; init; }
    public int BlockingPid { get; init; }
    public string? BlockingUser { get; init; }
    public string? BlockingState { get; init; }
    public string? BlockingQuery { get; init; }

    public override string ToString() => $"{BlockingPid} blocks {BlockedPid}";
}
