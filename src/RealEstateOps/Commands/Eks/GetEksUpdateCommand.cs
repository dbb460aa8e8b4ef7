using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Commands.Eks;

/// <summary>The runbook's "aws eks describe-update": a cluster's, node group's or add-on's updates (ListUpdates + DescribeUpdate), or some by id.</summary>
[Cmdlet(VerbsCommon.Get, "EksUpdate")]
[OutputType(typeof(EksUpdate))]
public sealed class GetEksUpdateCommand : EksCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("NodeGroupName")]
    [ArgumentCompleter(typeof(EksNodeGroupCompleter))]
    public string? NodeGroup { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksAddonNameCompleter))]
    public string? AddonName { get; set; }

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string[]? UpdateId { get; set; }

    [Parameter]
    [ValidateRange(1, 100)]
    public int PageSize { get; set; } = 100;

    protected override void ProcessRecordCore()
    {
        var query = new EksUpdateQuery
        {
            ClusterName = ClusterNameOf(ClusterName), NodeGroupName = NullIfEmpty(NodeGroup), AddonName = NullIfEmpty(AddonName),
            UpdateIds = UpdateId ?? Array.Empty<string>(), PageSize = PageSize,
        };
        Stream(ct => Eks.GetUpdatesAsync(query, ct));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
