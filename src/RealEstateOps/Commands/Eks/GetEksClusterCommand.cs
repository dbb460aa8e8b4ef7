using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Commands.Eks;

/// <summary>The runbook's "aws eks describe-cluster": status, version, platform version, endpoint; every cluster when no name is given.</summary>
[Cmdlet(VerbsCommon.Get, "EksCluster")]
[OutputType(typeof(EksCluster))]
public sealed class GetEksClusterCommand : EksCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ClusterName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Names per ListClusters page (1 to 100).</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int PageSize { get; set; } = 100;

    protected override void ProcessRecordCore()
    {
        var names = Name ?? Array.Empty<string>();
        foreach (var name in names.Where(n => !Wildcard.HasWildcard(n)))
        {
            try
            {
                WriteObject(Run(ct => Eks.GetClusterAsync(name, ct)));
            }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                WriteOpsError(ex);
            }
        }
        var patterns = names.Where(Wildcard.HasWildcard).ToArray();
        if (names.Length == 0 || patterns.Length > 0) Stream(ct => Eks.GetClustersAsync(patterns, PageSize, ct));
    }
}
