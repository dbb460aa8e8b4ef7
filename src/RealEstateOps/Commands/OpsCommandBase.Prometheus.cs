using System.Management.Automation;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands;

/// <summary>Prometheus for every cmdlet that reads it (the Prometheus cmdlets, the alert investigation): the URL setting and the client.</summary>
public abstract partial class OpsCommandBase
{
    /// <summary>The environment variable a bearer token for a proxy in front of Prometheus is read from (never a parameter: argv is visible).</summary>
    public const string PrometheusTokenVariable = "PROMETHEUS_BEARER_TOKEN";

    /// <summary>
    /// A Prometheus client from -PrometheusUrl, else the context's ServiceUrls['prometheus'] (PrometheusUrlNotSet when neither);
    /// basic auth from <paramref name="credential"/>, else a bearer token from PROMETHEUS_BEARER_TOKEN when set. Retries go to verbose.
    /// </summary>
    protected PromClient OpenPrometheus(string? explicitUrl, PSCredential? credential = null, TimeSpan? timeout = null)
    {
        var url = Setting(explicitUrl, "PrometheusUrl", c => c.ServiceUrls.TryGetValue("prometheus", out var u) && !string.IsNullOrWhiteSpace(u) ? u : null)
                  ?? throw new OpsException("PrometheusUrlNotSet", OpsErrorCategory.InvalidArgument,
                      "No Prometheus: give -PrometheusUrl, or set it in the context (Set-OpsContext -ServiceUrl @{ prometheus = 'http://...:9090' }); Start-OpsSandbox sets it for the sandbox.", null, isFatal: true);
        if (!Uri.TryCreate(url.Value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new OpsException("PrometheusUrlInvalid", OpsErrorCategory.InvalidArgument, $"'{url.Value}' is not an http or https URL.", url.Value, isFatal: true);
        var token = credential is null ? Environment.GetEnvironmentVariable(PrometheusTokenVariable) : null;
        if (credential is not null) WriteVerbose($"Prometheus: basic auth as '{credential.UserName}'.");
        else if (!string.IsNullOrEmpty(token)) WriteVerbose($"Prometheus: bearer token from {PrometheusTokenVariable}.");
        return PromClient.Create(new PromTarget
        {
            Url = uri,
            Username = credential?.UserName,
            Password = credential?.GetNetworkCredential().Password,
            BearerToken = string.IsNullOrEmpty(token) ? null : token,
            RequestTimeout = timeout ?? TimeSpan.FromMinutes(2),
            OnRetry = RetryNote("Prometheus"),
        });
    }
}
