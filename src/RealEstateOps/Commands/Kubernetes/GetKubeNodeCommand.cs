using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl get nodes; -NodeGroup selects an EKS node group by its label.</summary>
[Cmdlet(VerbsCommon.Get, "KubeNode")]
[OutputType(typeof(KubeNode))]
public sealed class GetKubeNodeCommand : KubeCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The EKS node group (label eks.amazonaws.com/nodegroup), e.g. standard-nodes.</summary>
    [Parameter] public string? NodeGroup { get; set; }
    [Parameter] [Alias("l")] public string? Selector { get; set; }
    [Parameter] [ValidateRange(1, 10000)] public int PageSize { get; set; } = 500;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var selector = string.Join(',', new[] { NodeGroup is null ? null : Kube.NodeGroupLabel + "=" + NodeGroup, Selector }.Where(s => !string.IsNullOrEmpty(s)));
        var request = new KubeListRequest { Names = Name, Selector = selector.Length == 0 ? null : selector, PageSize = PageSize };
        Stream(ct => new KubeQueries(client).ListNodesAsync(request, ct));
    }
}
