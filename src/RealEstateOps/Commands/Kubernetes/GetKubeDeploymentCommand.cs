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
        var client = Client();
        var request = ListRequest(client, Name);
        Stream(ct => new KubeQueries(client).ListDeploymentsAsync(request, ct));
    }
}
