using System.Management.Automation;
using RealEstateOps.Commands.Kubernetes;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Canary;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Canary;

/// <summary>
/// Base of the canary cmdlets: the cluster (-Kubeconfig/-KubeContext, -Namespace or the context's), where the canary's
/// state lives (its TrafficSplit, Deployment and Services: <see cref="CanaryObjects"/>).
/// </summary>
public abstract class CanaryCommandBase : KubeCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected string NamespaceOf(KubeClient client) => Namespace ?? client.Namespace;

    protected static string TargetOf(string deployment, string ns) => $"canary of deployment/{deployment} in {ns}";
}
