namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// A PromQL query: instant (at <see cref="At"/>, else the server's now) or, when <see cref="Start"/> is given, a range
/// from Start to <see cref="End"/> (default now) every <see cref="Step"/> (default: about 250 points over the range,
/// at least 1 s). <see cref="Timeout"/> is Prometheus' own evaluation timeout (its <c>timeout</c> parameter).
/// </summary>
public sealed record PromQuery
{
    public required string Expression { get; init; }
    public DateTimeOffset? At { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public TimeSpan? Step { get; init; }
    public TimeSpan? Timeout { get; init; }

    public bool IsRange => Start is not null;
}
