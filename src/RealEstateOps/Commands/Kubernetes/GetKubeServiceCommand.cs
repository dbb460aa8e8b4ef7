using System.Management.Automation;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl get services, streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "KubeService")]
[OutputType(typeof(KubeService))]
public sealed class GetKubeServiceCommand : NamespacedListCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }


    protected override void ProcessRecordCore()
    {
        var kube = Kube();
        var request = ListRequest(kube, Name);
        Run(ct => new KubeQueries(kube).ListServicesAsync(request, Emit, ct));
    }
}
