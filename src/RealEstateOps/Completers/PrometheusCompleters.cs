using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Completers;

/// <summary>The platform's services (Get-ServiceHealth -Service): the Deployments of the namespace, else the runbooks' five services.</summary>
public sealed class PlatformServiceCompleter : KubeNameCompleter
{
    /// <summary>The platform services of the runbooks (namespace real-estate-ai).</summary>
    public static readonly string[] PlatformServices = { "api-service", "auth-service", "llm-service", "chatbot-service", "proposal-service" };

    protected override IAsyncEnumerable<string> NamesAsync(KubeClient client, CancellationToken ct) =>
        NamesOf(new KubeQueries(client).ListDeploymentsAsync(new KubeListRequest { Namespace = client.Namespace }, ct), d => d.Name);

    protected override IEnumerable<string?> Fallback(OpsContext context) => PlatformServices;
}

/// <summary>
/// Alert rule names (Get-PromAlert, Get-AlertRule, Set-/Remove-AlertRule -Name): live from Prometheus' rules API (-PrometheusUrl
/// or the context's), one attempt with a short timeout, else the platform's own alert rules; never an error.
/// </summary>
public sealed class AlertRuleNameCompleter : IArgumentCompleter
{
    /// <summary>The alert rules of the platform-alerts PrometheusRule.</summary>
    public static readonly string[] PlatformAlerts = { "HighErrorRate", "HighLatencyP95", "PodRestartingOften", "DatabaseConnectionsHigh" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        IEnumerable<string> names;
        try
        {
            var context = OpsSession.LoadContext().Effective;
            var url = fakeBoundParameters.Contains("PrometheusUrl") ? fakeBoundParameters["PrometheusUrl"]?.ToString()
                : context.ServiceUrls.TryGetValue("prometheus", out var u) ? u : null;
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) throw new OpsException("PrometheusUrlNotSet", OpsErrorCategory.InvalidArgument, "no URL");
            using var client = PromClient.Create(new PromTarget { Url = uri, RequestTimeout = TimeSpan.FromSeconds(3), RetryPolicy = new Engine.Http.RetryPolicy { MaxAttempts = 1 } });
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            names = Collect(new PromQueries(client).ListRulesAsync(new PromRuleQuery(), null, cts.Token), cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException or TimeoutException)
        {
            names = PlatformAlerts;
        }
        return names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToList();
    }

    private static async Task<List<string>> Collect(IAsyncEnumerable<PromRule> rules, CancellationToken ct)
    {
        var list = new List<string>();
        await foreach (var r in rules.WithCancellation(ct).ConfigureAwait(false)) list.Add(r.Name);
        return list;
    }
}
