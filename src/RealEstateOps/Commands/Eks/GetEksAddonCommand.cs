using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Commands.Eks;

/// <summary>The add-ons installed on a cluster (ListAddons + DescribeAddon): name, version, status, health.</summary>
[Cmdlet(VerbsCommon.Get, "EksAddon")]
[OutputType(typeof(EksAddon))]
public sealed class GetEksAddonCommand : EksCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EksAddonNameCompleter))]
    public string[]? AddonName { get; set; }

    [Parameter]
    [ValidateRange(1, 100)]
    public int PageSize { get; set; } = 100;

    protected override void ProcessRecordCore()
    {
        var cluster = ClusterNameOf(ClusterName);
        var names = AddonName ?? Array.Empty<string>();
        foreach (var name in names.Where(n => !Wildcard.HasWildcard(n)))
        {
            try
            {
                WriteObject(Run(ct => Eks.GetAddonAsync(cluster, name, ct)));
            }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                WriteOpsError(ex);
            }
        }
        var patterns = names.Where(Wildcard.HasWildcard).ToArray();
        if (names.Length == 0 || patterns.Length > 0) Stream(ct => Eks.GetAddonsAsync(cluster, patterns, PageSize, ct));
    }
}
