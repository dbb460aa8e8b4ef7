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
    /// <summary>The names, streamed from the same list the Get-Kube* cmdlets use.</summary>
    protected abstract IAsyncEnumerable<string> NamesAsync(KubeClient client, CancellationToken ct);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            var context = OpsSession.LoadContext().Effective;
            string? Bound(string name) => fakeBoundParameters.Contains(name) ? fakeBoundParameters[name]?.ToString() : null;
            using var client = KubeClient.Open(new KubeTarget
            {
                Kubeconfig = Bound("Kubeconfig") ?? context.KubeconfigPath, Context = Bound("KubeContext") ?? context.KubeContext,
                Namespace = Bound("Namespace") ?? context.Namespace, RequestTimeout = TimeSpan.FromSeconds(5),
                RetryPolicy = new Engine.Http.RetryPolicy { MaxAttempts = 2 },
            });
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return MatchingAsync(NamesAsync(client, cts.Token), prefix, cts.Token).GetAwaiter().GetResult()
                .OrderBy(n => n, StringComparer.Ordinal)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToList();
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    private static async Task<List<string>> MatchingAsync(IAsyncEnumerable<string> names, string prefix, CancellationToken ct)
    {
        var matching = new List<string>();
        await foreach (var name in names.WithCancellation(ct).ConfigureAwait(false))
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) matching.Add(name);
        return matching;
    }

    /// <summary>The names of a stream of items.</summary>
    protected static async IAsyncEnumerable<string> NamesOf<T>(IAsyncEnumerable<T> items, Func<T, string> name)
    {
        await foreach (var item in items.ConfigureAwait(false)) yield return name(item);
    }
}

public sealed class NodeNameCompleter : KubeNameCompleter
{
    protected override IAsyncEnumerable<string> NamesAsync(KubeClient client, CancellationToken ct) =>
        NamesOf(new KubeQueries(client).ListNodesAsync(new KubeListRequest(), ct), n => n.Name);
}

public sealed class DeploymentNameCompleter : KubeNameCompleter
{
    protected override IAsyncEnumerable<string> NamesAsync(KubeClient client, CancellationToken ct) =>
        NamesOf(new KubeQueries(client).ListDeploymentsAsync(new KubeListRequest { Namespace = client.Namespace }, ct), d => d.Name);
}

public sealed class PodNameCompleter : KubeNameCompleter
{
    protected override IAsyncEnumerable<string> NamesAsync(KubeClient client, CancellationToken ct) =>
        NamesOf(new KubeQueries(client).ListPodsAsync(new KubeListRequest { Namespace = client.Namespace }, ct), p => p.Name);
}
