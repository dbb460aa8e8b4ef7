namespace RealEstateOps.Engine.Kubernetes;

/// <summary>Which log to read (one pod, or every pod of a deployment) and how: container, tail, since, pattern, follow.</summary>
public sealed class PodLogRequest
{
    public required string Namespace { get; init; }
    public string? Pod { get; init; }
    public string? Deployment { get; init; }
    public string? Container { get; init; }
    public int? Tail { get; init; }
    public TimeSpan? Since { get; init; }
    public bool Previous { get; init; }
    /// <summary>Only lines matching this regular expression (the runbook's | grep ERROR).</summary>
    public string? Pattern { get; init; }
    public bool Follow { get; init; }
    /// <summary>Concurrent log streams for a deployment's pods (kubectl's --max-log-requests).</summary>
    public int MaxConcurrency { get; init; } = 5;
}
