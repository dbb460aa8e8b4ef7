using System.Text.RegularExpressions;

namespace RealEstateOps.Engine.Kubernetes;

public sealed class PodLogRequest
{
    public required string Namespace { get; init; }
    public string? Pod { get; init; }
    public string? Deployment { get; init; }
    public string? Container { get; init; }
    public int? Tail { get; init; }
    public TimeSpan? Since { get; init; }
    public bool Previous { get; init; }
    public Regex? Pattern { get; init; }
    public bool Follow { get; init; }
    /// <summary>Concurrent log streams for a deployment's pods (kubectl's --max-log-requests).</summary>
    public int MaxConcurrency { get; init; } = 5;
}
