using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// "aws rds describe-pending-maintenance-actions": the maintenance AWS has pending for DB instances (system-update, db-upgrade, ...),
/// when it applies them on its own and the opt-in made. Pages with Marker as the pipeline asks; pipes into Invoke-DbPendingMaintenance.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DbPendingMaintenance")]
[OutputType(typeof(DbPendingMaintenanceAction))]
public sealed class GetDbPendingMaintenanceCommand : RdsCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string[]? DbInstanceId { get; set; }

    /// <summary>Only this action (system-update, db-upgrade, ...).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DbPendingActionCompleter))]
    public string? Action { get; set; }

    /// <summary>Resources per DescribePendingMaintenanceActions page (20 to 100).</summary>
    [Parameter]
    [ValidateRange(20, 100)]
    public int PageSize { get; set; } = 100;

    protected override void ProcessRecordCore()
    {
        var ids = DbInstanceId ?? Array.Empty<string>();
        foreach (var id in ids.Where(i => !Wildcard.HasWildcard(i))) RdsIdentifiers.ValidateInstanceId(id);
        Stream(ct => PendingMaintenance.ListAsync(new DbPendingMaintenanceQuery { DbInstanceIds = ids, Action = Action, PageSize = PageSize }, ct));
    }
}
