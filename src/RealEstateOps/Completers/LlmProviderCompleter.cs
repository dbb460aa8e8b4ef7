using System.Runtime.CompilerServices;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Completers;

/// <summary>
/// -Provider of Switch-LlmProvider: the providers the llm-service's configuration names (its fallback, the one it uses,
/// the one a switch replaced), read live from the ConfigMap with the usual short timeout; nothing when it cannot be read.
/// </summary>
public sealed class LlmProviderCompleter : KubeNameCompleter
{
    protected override async IAsyncEnumerable<string> NamesAsync(KubeClient client, [EnumeratorCancellation] CancellationToken ct)
    {
        var config = await new LlmServiceConfigurator(client).GetAsync(new LlmConfigRequest { Namespace = client.Namespace }, ct).ConfigureAwait(false);
        foreach (var name in new[] { config.FallbackProvider, config.Provider, config.PreviousProvider }.OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
            yield return name;
    }
}
