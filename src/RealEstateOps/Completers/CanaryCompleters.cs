using RealEstateOps.Engine.Canary;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Completers;

/// <summary>-Deployment of the canary cmdlets that act on a canary: the Deployments that have one (their TrafficSplits), live.</summary>
public sealed class CanaryNameCompleter : KubeNameCompleter
{
    protected override IAsyncEnumerable<string> NamesAsync(KubeClient client, CancellationToken ct) =>
        NamesOf(new CanaryObjects(client).ListAsync(client.Namespace, 100, ct), c => c.Deployment);
}
