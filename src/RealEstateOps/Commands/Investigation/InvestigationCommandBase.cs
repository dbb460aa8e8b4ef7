using System.Management.Automation;
using RealEstateOps.Commands.Kubernetes;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Investigation;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Investigation;

/// <summary>
/// Base of the investigation cmdlets: Prometheus (-PrometheusUrl, else the context's ServiceUrls['prometheus']) and the
/// cluster (-Kubeconfig/-KubeContext and the namespace, as every Kubernetes cmdlet), the window (-Since) and the alert.
/// </summary>
public abstract class InvestigationCommandBase : KubeCommandBase
{
    private readonly OwnedClient<PromClient> _prometheus = new();
    private readonly OwnedClient<ArgoClient> _argo = new();

    /// <summary>Prometheus' URL; defaults to the context's ServiceUrls['prometheus'].</summary>
    [Parameter] public string? PrometheusUrl { get; set; }

    /// <summary>How far back the window reaches from now.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Since { get; set; } = TimeSpan.FromHours(1);

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only these services (Deployment names).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[]? Service { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected AlertInvestigator Investigator(bool needsKube)
    {
        var prometheus = _prometheus.Get(() => OpenPrometheus(PrometheusUrl));
        KubeClient? kube = null;
        try { kube = Client(); }
        catch (OpsException ex) when (!needsKube)
        {
            WriteWarning($"No Kubernetes cluster ({ex.ErrorId}: {ex.Message}): rollouts, error lines and node states are left out.");
        }
        return new AlertInvestigator(new PromQueries(prometheus), kube, argo: ArgoQueriesOrReason(_argo, out var why), argoUnavailable: why);
    }

    /// <summary>The threshold in the alert's unit: the parameter, else the context's ErrorRateThresholdPercent or LatencyP95ThresholdMs (the Get-ServiceHealth settings), else the rule's.</summary>
    protected double ThresholdOf(string alert, double? given)
    {
        if (alert.Equals("HighLatencyP95", StringComparison.OrdinalIgnoreCase))
        {
            var ms = ActiveContext.Resolve(given is { } g ? (int?)Math.Round(g) : null, "Threshold", c => c.LatencyP95ThresholdMs);
            WriteVerbose($"Threshold: {ms?.Value ?? 1000} ms (from {ms?.Source ?? "the HighLatencyP95 rule"}).");
            return given ?? ms?.Value ?? 1000;
        }
        var percent = ActiveContext.Resolve(given, "Threshold", c => c.ErrorRateThresholdPercent);
        WriteVerbose($"Threshold: {percent?.Value ?? 5}% (from {percent?.Source ?? "the HighErrorRate rule"}).");
        return percent?.Value ?? 5;
    }

    protected string NamespaceOf() => Namespace ?? Setting(null, "Namespace", c => c.Namespace)?.Value ?? "default";

    protected override void ReleaseResources()
    {
        _prometheus.Release();
        _argo.Release();
        base.ReleaseResources();
    }
}
