using RealEstateOps.Completers;
using System.Management.Automation;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>What the namespaced list cmdlets share: -Namespace / -AllNamespaces, -Selector, -PageSize, and the paged request.</summary>
public abstract class NamespacedListCommandBase : KubeCommandBase
{
    [Parameter] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    [Parameter] public SwitchParameter AllNamespaces { get; set; }
    [Parameter] [Alias("l")] public string? Selector { get; set; }
    [Parameter] [ValidateRange(1, 10000)] public int PageSize { get; set; } = 500;

    protected override string? NamespaceParameter => Namespace;

    /// <summary>A paged list request in the resolved namespace (or all).</summary>
    protected KubeListRequest ListRequest(KubeClient client, string[]? names, string? fieldSelector = null) => new()
    {
        Namespace = AllNamespaces ? null : client.Namespace, Names = names, Selector = Selector, PageSize = PageSize, FieldSelector = fieldSelector,
    };
}
