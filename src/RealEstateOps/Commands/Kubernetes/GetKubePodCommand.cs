using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl get pods: pods of the context's namespace (or -AllNamespaces), streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "KubePod")]
[OutputType(typeof(KubePod))]
public sealed class GetKubePodCommand : KubeCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter] public string? Namespace { get; set; }
    [Parameter] public SwitchParameter AllNamespaces { get; set; }
    [Parameter] [Alias("l")] public string? Selector { get; set; }
    /// <summary>Only pods on this node (spec.nodeName).</summary>
    [Parameter] [ArgumentCompleter(typeof(NodeNameCompleter))] public string? Node { get; set; }
    [Parameter] [ValidateRange(1, 10000)] public int PageSize { get; set; } = 500;

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var kube = Kube();
        var request = new KubeListRequest
        {
            Namespace = AllNamespaces ? null : kube.Namespace, Names = Name, Selector = Selector, PageSize = PageSize, PageHandled = PageWritten,
            FieldSelector = Node is null ? null : "spec.nodeName=" + Node,
        };
        Run(ct => new KubeQueries(kube).ListPodsAsync(request, Emit, ct));
    }
}
