using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Completers;

/// <summary>
/// Live EKS names for completion, through the session's context and the -Region/-ProfileName/-EndpointUrl/-ClusterName already
/// typed: one attempt, two seconds at most; the context's values when EKS cannot say; never an error.
/// </summary>
internal static class EksCompletion
{
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IDictionary fakeBoundParameters,
        Func<EksOperations, string, CancellationToken, IAsyncEnumerable<string>> names, Func<OpsContext, IEnumerable<string?>> fallback)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        OpsContext? context = null;
        try
        {
            string? Bound(string name) => fakeBoundParameters.Contains(name) ? fakeBoundParameters[name]?.ToString() : null;
            var active = OpsSession.LoadContext();
            context = active.Effective;
            var target = AwsResolver.Resolve("eks", new AwsParameters(Bound("Region"), Bound("ProfileName"), Bound("EndpointUrl")), active);
            using var client = EksClient.Create(target, new Engine.Http.RetryPolicy { MaxAttempts = 1 }, timeout: TimeSpan.FromSeconds(2));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var cluster = Bound("ClusterName") ?? context.ClusterName ?? "";
            var live = Collect(names(new EksOperations(client), cluster, cts.Token), prefix, cts.Token).GetAwaiter().GetResult();
            if (live.Count > 0) return live;
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException or TimeoutException or IOException)
        {
            // EKS could not say: the context's values below.
        }
        return context is null ? Array.Empty<CompletionResult>() : Results(fallback(context).OfType<string>().Distinct(StringComparer.Ordinal), prefix);
    }

    private static List<CompletionResult> Results(IEnumerable<string> names, string prefix) =>
        names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Take(200)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToList();

    private static async Task<List<CompletionResult>> Collect(IAsyncEnumerable<string> names, string prefix, CancellationToken ct)
    {
        var list = new List<string>();
        await foreach (var n in names.WithCancellation(ct).ConfigureAwait(false))
        {
            list.Add(n);
            if (list.Count >= 1000) break;
        }
        return Results(list, prefix);
    }
}

/// <summary>Completes EKS cluster names from ListClusters (the context's ClusterName when EKS cannot say).</summary>
public sealed class EksClusterNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        EksCompletion.Complete(wordToComplete, fakeBoundParameters, (eks, _, ct) => eks.ListClusterNamesAsync(null, ct), c => new[] { c.ClusterName });
}

/// <summary>Completes node group names of the -ClusterName typed (else the context's) from ListNodegroups (the context's NodeGroup when EKS cannot say).</summary>
public sealed class EksNodeGroupCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        EksCompletion.Complete(wordToComplete, fakeBoundParameters,
            (eks, cluster, ct) => cluster.Length == 0 ? AsyncNone() : eks.ListNodeGroupNamesAsync(cluster, null, ct), c => new[] { c.NodeGroup });

    internal static async IAsyncEnumerable<string> AsyncNone()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }
}

/// <summary>Completes add-on names installed on the -ClusterName typed (else the context's) from ListAddons (EKS's usual add-ons when EKS cannot say).</summary>
public sealed class EksAddonNameCompleter : IArgumentCompleter
{
    private static readonly string[] Usual = { "coredns", "kube-proxy", "vpc-cni", "aws-ebs-csi-driver", "eks-pod-identity-agent" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        EksCompletion.Complete(wordToComplete, fakeBoundParameters,
            (eks, cluster, ct) => cluster.Length == 0 ? EksNodeGroupCompleter.AsyncNone() : eks.ListAddonNamesAsync(cluster, null, ct), _ => Usual);
}

/// <summary>
/// Completes Kubernetes minors: the cluster's current one and the next (what an upgrade goes to), from DescribeCluster of the
/// -ClusterName typed (else the context's); the minors EKS has supported recently when EKS cannot say.
/// </summary>
public sealed class KubernetesVersionCompleter : IArgumentCompleter
{
    private static readonly string[] Recent = { "1.34", "1.33", "1.32", "1.31", "1.30", "1.29" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        EksCompletion.Complete(wordToComplete, fakeBoundParameters, Versions, _ => Recent);

    private static async IAsyncEnumerable<string> Versions(EksOperations eks, string cluster, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (cluster.Length == 0) yield break;
        var c = await eks.GetClusterAsync(cluster, ct).ConfigureAwait(false);
        if (!EksVersion.TryParse(c.Version, out var v)) yield break;
        yield return v.Next.ToString();
        yield return v.ToString();
    }
}
