using System.Management.Automation;
using RealEstateOps.Commands.Kubernetes;
using RealEstateOps.Common;
using RealEstateOps.Completers;
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
        var prometheus = _prometheus.Get(() =>
        {
            var url = Setting(PrometheusUrl, "PrometheusUrl", c => c.ServiceUrls.TryGetValue("prometheus", out var u) && !string.IsNullOrWhiteSpace(u) ? u : null)
                      ?? throw new OpsException("PrometheusUrlNotSet", OpsErrorCategory.InvalidArgument,
                          "No Prometheus: give -PrometheusUrl, or set it in the context (Set-OpsContext -ServiceUrl @{ prometheus = 'http://...:9090' }); Start-OpsSandbox sets it for the sandbox.", null, isFatal: true);
            if (!Uri.TryCreate(url.Value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new OpsException("PrometheusUrlInvalid", OpsErrorCategory.InvalidArgument, $"'{url.Value}' is not a Prometheus URL: give an absolute http:// or https:// URL.", url.Value, isFatal: true);
            return PromClient.Create(new PromTarget
            {
                Url = uri, OnRetry = (_, attempt, reason, delay) => EmitVerbose($"Prometheus: attempt {attempt} failed ({reason}); retrying in {delay.TotalMilliseconds:0} ms."),
            });
        });
        KubeClient? kube = null;
        try { kube = Client(); }
        catch (OpsException ex) when (!needsKube)
        {
            WriteWarning($"No Kubernetes cluster ({ex.ErrorId}: {ex.Message}): rollouts, error lines and node states are left out.");
        }
        return new AlertInvestigator(new PromQueries(prometheus), kube);
    }

    protected string NamespaceOf() => Namespace ?? Setting(null, "Namespace", c => c.Namespace)?.Value ?? "default";

    protected override void ReleaseResources()
    {
        _prometheus.Release();
        base.ReleaseResources();
    }
}
