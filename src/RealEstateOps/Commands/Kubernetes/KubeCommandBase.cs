using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// Base of the Kubernetes cmdlets: -Kubeconfig and -KubeContext (defaulting from the context's
/// KubeconfigPath and KubeContext, else KUBECONFIG or ~/.kube/config and its current context), the
/// namespace from -Namespace or the context, and one client per command, with -Verbose saying where each came from.
/// </summary>
public abstract class KubeCommandBase : OpsCommandBase
{
    private readonly OwnedClient<KubeClient> _client = new();

    [Parameter] public string? Kubeconfig { get; set; }
    [Parameter] public string? KubeContext { get; set; }

    /// <summary>The namespace from -Namespace or the context (null for cluster-scoped cmdlets).</summary>
    protected virtual string? NamespaceParameter => null;

    protected virtual TimeSpan RequestTimeout => TimeSpan.FromMinutes(2);

    /// <summary>The command's client, opened on first use (its settings and their sources go to verbose).</summary>
    protected KubeClient Client() => _client.Get(() => OpenKube(Kubeconfig, KubeContext, NamespaceParameter, RequestTimeout));

    /// <summary>Kubernetes clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<KubeClient>.Open;

    /// <summary>Disposed when the pipeline ends, however it ends (see <see cref="OpsCommandBase.Dispose"/>).</summary>
    protected override void ReleaseResources() => _client.Release();
}
