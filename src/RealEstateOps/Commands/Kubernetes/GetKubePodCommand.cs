using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl get pods: pods of the context's namespace (or -AllNamespaces), streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "KubePod")]
[OutputType(typeof(KubePod))]
public sealed class GetKubePodCommand : NamespacedListCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only pods on this node (spec.nodeName).</summary>
    [Parameter] [ArgumentCompleter(typeof(NodeNameCompleter))] public string? Node { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = ListRequest(client, Name, Node is null ? null : "spec.nodeName=" + Node);
        Stream(ct => new KubeQueries(client).ListPodsAsync(request, ct));
    }
}
