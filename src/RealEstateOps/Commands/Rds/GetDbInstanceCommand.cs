using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// The runbook's "aws rds describe-db-instances": status, endpoint, class, network and backup settings of DB instances, with the
/// restorable window (EarliestRestorableTime from DescribeDBInstanceAutomatedBackups, one call per page of instances).
/// </summary>
[Cmdlet(VerbsCommon.Get, "DbInstance")]
[OutputType(typeof(DbInstance))]
public sealed class GetDbInstanceCommand : RdsCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string[]? DbInstanceId { get; set; }

    /// <summary>Instances per DescribeDBInstances page (20 to 100).</summary>
    [Parameter]
    [ValidateRange(20, 100)]
    public int PageSize { get; set; } = 100;

    protected override void ProcessRecordCore()
    {
        var ids = DbInstanceId ?? Array.Empty<string>();
        foreach (var id in ids.Where(i => !Wildcard.HasWildcard(i)))
        {
            try
            {
                RdsIdentifiers.ValidateInstanceId(id);
                List(new[] { id });
            }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                WriteOpsError(ex);
            }
        }
        var patterns = ids.Where(Wildcard.HasWildcard).ToArray();
        if (ids.Length == 0 || patterns.Length > 0) List(patterns);
    }

    private void List(IReadOnlyList<string> ids) => Stream(ct => Rds.GetInstancesAsync(new InstanceQuery { DbInstanceIds = ids, PageSize = PageSize, WithRestoreWindow = true }, ct));
}
