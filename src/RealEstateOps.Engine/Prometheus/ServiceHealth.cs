namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// One platform service's system metrics from Prometheus (the Monitoring runbook's list) and a verdict against the thresholds,
/// with the reasons. A measure Prometheus has no series for is null.
/// </summary>
public sealed class ServiceHealth
{
    public string Namespace { get; init; } = "";
    public string Service { get; init; } = "";
    public ServiceHealthVerdict Verdict { get; init; }
    public IReadOnlyList<string> Reasons { get; init; } = Array.Empty<string>();
    /// <summary>Requests per second over the window.</summary>
    public double? RequestRate { get; init; }
    /// <summary>5xx answers as a percentage of all answers over the window (null without requests).</summary>
    public double? ErrorRatePercent { get; init; }
    public double? LatencyP50Ms { get; init; }
    public double? LatencyP95Ms { get; init; }
    /// <summary>Container restarts over the last hour.</summary>
    public double? Restarts { get; init; }
    /// <summary>CPU used, in cores.</summary>
    public double? CpuCores { get; init; }
    public double? CpuRequestedCores { get; init; }
    /// <summary>CPU used as a percentage of the CPU requested.</summary>
    public double? CpuPercentOfRequest { get; init; }
    public double? MemoryBytes { get; init; }
    public double? MemoryRequestedBytes { get; init; }
    public double? MemoryPercentOfRequest { get; init; }
    public int? Pods { get; init; }
    public TimeSpan Window { get; init; }
    public double ErrorRateThresholdPercent { get; init; }
    public double LatencyP95ThresholdMs { get; init; }
    public DateTimeOffset At { get; init; }

    /// <summary>The reasons as one line.</summary>
    public string Reason => string.Join("; ", Reasons);
}
