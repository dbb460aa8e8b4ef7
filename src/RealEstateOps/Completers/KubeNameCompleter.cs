using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Completers;

/// <summary>Live names for -Name/-Pod/-Deployment of the Kubernetes cmdlets, respecting -Namespace, -Kubeconfig and -KubeContext already typed.</summary>
public abstract class KubeNameCompleter : IArgumentCompleter
{
    protected abstract Task<IEnumerable<string>> NamesAsync(KubeConnection kube, CancellationToken ct);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            var context = OpsSession.LoadContext().Effective;
            string? Bound(string name) => fakeBoundParameters.Contains(name) ? fakeBoundParameters[name]?.ToString() : null;
            using var kube = KubeConnection.Open(new KubeTarget
            {
                Kubeconfig = Bound("Kubeconfig") ?? context.KubeconfigPath, Context = Bound("KubeContext") ?? context.KubeContext,
                Namespace = Bound("Namespace") ?? context.Namespace, RequestTimeout = TimeSpan.FromSeconds(5),
                RetryPolicy = new Engine.Http.RetryPolicy { MaxAttempts = 2 },
            });
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return NamesAsync(kube, cts.Token).GetAwaiter().GetResult()
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).OrderBy(n => n, StringComparer.Ordinal)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToList();
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}

public sealed class NodeNameCompleter : KubeNameCompleter
{
    protected override async Task<IEnumerable<string>> NamesAsync(KubeConnection kube, CancellationToken ct)
    {
        var names = new List<string>();
        await new KubeQueries(kube).ListNodesAsync(new KubeListRequest(), n => names.Add(n.Name), ct).ConfigureAwait(false);
        return names;
    }
}

public sealed class DeploymentNameCompleter : KubeNameCompleter
{
    protected override async Task<IEnumerable<string>> NamesAsync(KubeConnection kube, CancellationToken ct)
    {
        var names = new List<string>();
        await new KubeQueries(kube).ListDeploymentsAsync(new KubeListRequest { Namespace = kube.Namespace }, d => names.Add(d.Name), ct).ConfigureAwait(false);
        return names;
    }
}

public sealed class PodNameCompleter : KubeNameCompleter
{
    protected override async Task<IEnumerable<string>> NamesAsync(KubeConnection kube, CancellationToken ct)
    {
        var names = new List<string>();
        await new KubeQueries(kube).ListPodsAsync(new KubeListRequest { Namespace = kube.Namespace }, p => names.Add(p.Name), ct).ConfigureAwait(false);
        return names;
    }
}
