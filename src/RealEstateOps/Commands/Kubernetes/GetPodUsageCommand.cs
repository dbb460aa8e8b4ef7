using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl top pods: CPU (millicores) and memory (MiB) per pod, with each container's share.</summary>
[Cmdlet(VerbsCommon.Get, "PodUsage")]
[OutputType(typeof(PodUsage))]
public sealed class GetPodUsageCommand : KubeCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = new KubeListRequest { Namespace = client.Namespace, Names = Name };
        foreach (var usage in Run(ct => new ResourceUsageReader(client).PodsAsync(request, ct))) WriteObject(usage);
    }
}
