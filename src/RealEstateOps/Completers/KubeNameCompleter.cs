using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Completers;

/// <summary>
/// Live names for -Name/-Pod/-Deployment/-Namespace of the Kubernetes cmdlets, respecting -Namespace, -Kubeconfig and
/// -KubeContext already typed: one attempt with a short timeout, the context's values when the cluster cannot say, never an error.
/// </summary>
public abstract class KubeNameCompleter : IArgumentCompleter
{
    /// <summary>The names, streamed from the same list the Get-Kube* cmdlets use.</summary>
    protected abstract IAsyncEnumerable<string> NamesAsync(KubeClient client, CancellationToken ct);

    /// <summary>The names the context knows, offered when the cluster cannot be asked (none by default).</summary>
    protected virtual IEnumerable<string?> Fallback(OpsContext context) => Array.Empty<string?>();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        string? Bound(string name) => fakeBoundParameters.Contains(name) ? fakeBoundParameters[name]?.ToString() : null;
        OpsContext? context = null;
        try
        {
            var active = OpsSession.LoadContext();
            context = active.Effective;
            using var client = KubeClient.Open(new KubeTarget
            {
                AwsContext = active,
                Kubeconfig = Bound("Kubeconfig") ?? context.KubeconfigPath, Context = Bound("KubeContext") ?? context.KubeContext,
                Namespace = Bound("Namespace") ?? context.Namespace, RequestTimeout = TimeSpan.FromSeconds(5),
                RetryPolicy = new Engine.Http.RetryPolicy { MaxAttempts = 1 },
            });
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return Results(MatchingAsync(NamesAsync(client, cts.Token), prefix, cts.Token).GetAwaiter().GetResult());
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException or TimeoutException)
        {
            if (context is null) return Array.Empty<CompletionResult>();
            return Results(Fallback(context).OfType<string>().Where(n => n.Length > 0 && n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal));
        }
    }

    private static List<CompletionResult> Results(IEnumerable<string> names) =>
        names.OrderBy(n => n, StringComparer.Ordinal).Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToList();

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

/// <summary>Namespaces for -Namespace; the context's namespace when the cluster cannot be asked.</summary>
public sealed class NamespaceNameCompleter : KubeNameCompleter
{
    protected override IAsyncEnumerable<string> NamesAsync(KubeClient client, CancellationToken ct) =>
        new KubeQueries(client).ListNamespaceNamesAsync(new KubeListRequest(), ct);

    protected override IEnumerable<string?> Fallback(OpsContext context) => new[] { context.Namespace };
}
