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
        var client = Client();
        var request = ListRequest(client, Name);
        Stream(ct => new KubeQueries(client).ListServicesAsync(request, ct));
    }
}
