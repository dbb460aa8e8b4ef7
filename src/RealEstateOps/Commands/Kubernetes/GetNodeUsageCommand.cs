using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl top nodes: CPU (millicores) and memory (MiB) in use, and their share of allocatable.</summary>
[Cmdlet(VerbsCommon.Get, "NodeUsage")]
[OutputType(typeof(NodeUsage))]
public sealed class GetNodeUsageCommand : KubeCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter] public string? NodeGroup { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = new KubeListRequest { Names = Name, Selector = NodeGroup is null ? null : Kube.NodeGroupLabel + "=" + NodeGroup };
        Stream(ct => new ResourceUsageReader(client).NodesAsync(request, ct));
    }
}
