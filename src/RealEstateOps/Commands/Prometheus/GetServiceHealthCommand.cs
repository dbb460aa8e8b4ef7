using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// The Monitoring runbook's system metrics per platform service, from Prometheus: request rate, error rate, p50/p95 latency,
/// restarts in the last hour, CPU and memory against requests, pods, and a verdict (Healthy, Degraded, Unhealthy, NoData) with
/// its reasons against the context's ErrorRateThresholdPercent and LatencyP95ThresholdMs (the parameters override them).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ServiceHealth")]
[OutputType(typeof(ServiceHealth))]
public sealed class GetServiceHealthCommand : PromCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlatformServiceCompleter))]
    public string[]? Service { get; set; }

    /// <summary>The services' namespace (default: the context's Namespace, real-estate-ai).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The rate window (default 1m, the platform alert rules' window).</summary>
    [Parameter]
    [Duration]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    [Parameter] [ValidateRange(0.01, 100.0)] public double? ErrorRateThresholdPercent { get; set; }
    [Parameter] [ValidateRange(1, 600000)] public int? LatencyP95ThresholdMs { get; set; }

    /// <summary>Assess the services as they were at this time.</summary>
    [Parameter] public DateTimeOffset? At { get; set; }

    private readonly List<string> _services = new();
    private bool _all;

    protected override void ProcessRecordCore()
    {
        // Services from the pipeline are gathered: one set of queries covers them all.
        if (Service is { Length: > 0 }) _services.AddRange(Service);
        else _all = true;
    }

    protected override void EndProcessingCore()
    {
        var ns = Setting(Namespace, nameof(Namespace), c => c.Namespace)?.Value;
        var errorRate = ActiveContext.Resolve(ErrorRateThresholdPercent, nameof(ErrorRateThresholdPercent), c => c.ErrorRateThresholdPercent);
        var latency = ActiveContext.Resolve(LatencyP95ThresholdMs, nameof(LatencyP95ThresholdMs), c => c.LatencyP95ThresholdMs);
        WriteVerbose($"ErrorRateThresholdPercent: {errorRate?.Value ?? 5} (from {errorRate?.Source ?? "the module's default"}); " +
                     $"LatencyP95ThresholdMs: {latency?.Value ?? 1000} (from {latency?.Source ?? "the module's default"}).");
        var request = new ServiceHealthRequest
        {
            Namespace = ns,
            Services = _all || _services.Count == 0 ? null : _services.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            Window = Window,
            ErrorRateThresholdPercent = errorRate?.Value ?? 5,
            LatencyP95ThresholdMs = latency?.Value ?? 1000,
            At = At,
        };
        foreach (var (measure, query) in ServiceHealthReader.Queries(request)) WriteVerbose($"{measure}: {query}");
        var reader = new ServiceHealthReader(Queries);
        foreach (var health in Run(ct => reader.ReadAsync(request, Listener, ct))) WriteObject(health);
    }
}
