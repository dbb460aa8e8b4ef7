using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl get deployments, streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "KubeDeployment")]
[OutputType(typeof(KubeDeployment))]
public sealed class GetKubeDeploymentCommand : NamespacedListCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[]? Name { get; set; }


    protected override void ProcessRecordCore()
    {
        var kube = Kube();
        var request = ListRequest(kube, Name);
        Run(ct => new KubeQueries(kube).ListDeploymentsAsync(request, Emit, ct));
    }
}
