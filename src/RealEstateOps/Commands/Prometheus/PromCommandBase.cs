using System.Management.Automation;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// Base of the Prometheus cmdlets: -PrometheusUrl (else the context's ServiceUrls['prometheus'], which Start-OpsSandbox sets to
/// the sandbox's real Prometheus), -PrometheusCredential for a proxy's basic auth (or PROMETHEUS_BEARER_TOKEN), one client per command.
/// </summary>
public abstract class PromCommandBase : OpsCommandBase
{
    private readonly OwnedClient<PromClient> _client = new();
    private PromQueries? _queries;

    /// <summary>Prometheus' URL (a path prefix is kept); defaults to the context's ServiceUrls['prometheus'].</summary>
    [Parameter] public string? PrometheusUrl { get; set; }

    /// <summary>Basic auth for a proxy in front of Prometheus.</summary>
    [Parameter] [Credential] public PSCredential? PrometheusCredential { get; set; }

    /// <summary>How long one request to Prometheus may take, retries included.</summary>
    protected virtual TimeSpan RequestTimeout => TimeSpan.FromMinutes(2);

    protected PromClient Client => _client.Get(() => OpenPrometheus(PrometheusUrl, PrometheusCredential, RequestTimeout));

    protected PromQueries Queries => _queries ??= new PromQueries(Client);

    /// <summary>Resolves the URL here, on the pipeline thread (its source goes to verbose), before any engine work.</summary>
    protected override void BeginProcessingCore() => _ = Client;

    /// <summary>Prometheus clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<PromClient>.Open;

    protected override void ReleaseResources() => _client.Release();
}
