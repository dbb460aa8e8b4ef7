using System.Management.Automation;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl get services, streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "KubeService")]
[OutputType(typeof(KubeService))]
public sealed class GetKubeServiceCommand : KubeCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter] public string? Namespace { get; set; }
    [Parameter] public SwitchParameter AllNamespaces { get; set; }
    [Parameter] [Alias("l")] public string? Selector { get; set; }
    [Parameter] [ValidateRange(1, 10000)] public int PageSize { get; set; } = 500;

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var kube = Kube();
        var request = new KubeListRequest { Namespace = AllNamespaces ? null : kube.Namespace, Names = Name, Selector = Selector, PageSize = PageSize, PageHandled = PageWritten };
        Run(ct => new KubeQueries(kube).ListServicesAsync(request, Emit, ct));
    }
}
