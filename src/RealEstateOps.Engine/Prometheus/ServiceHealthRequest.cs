namespace RealEstateOps.Engine.Prometheus;

/// <summary>Which services to assess and against what. Null Services: every service with metrics in the namespace.</summary>
public sealed record ServiceHealthRequest
{
    public string? Namespace { get; init; }
    public IReadOnlyList<string>? Services { get; init; }
    /// <summary>The rate window (default 1m, the platform alert rules' window).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);
    public double ErrorRateThresholdPercent { get; init; } = 5;
    public double LatencyP95ThresholdMs { get; init; } = 1000;
    /// <summary>Restarts over the last hour from which a service is Degraded (default 3).</summary>
    public int RestartThreshold { get; init; } = 3;
    /// <summary>Memory use, as a percentage of the memory requested, from which a service is Degraded (default 90).</summary>
    public double MemoryThresholdPercent { get; init; } = 90;
    /// <summary>Evaluate at this time (default: Prometheus' now).</summary>
    public DateTimeOffset? At { get; init; }
}
