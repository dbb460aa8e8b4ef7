using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>Waits until a DB instance is available (after a restore: creating, backing-up, available), with progress and a timeout.</summary>
[Cmdlet(VerbsLifecycle.Wait, "DbInstance")]
[OutputType(typeof(DbInstance))]
public sealed class WaitDbInstanceCommand : RdsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string DbInstanceId { get; set; } = "";

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(3);

    protected override void ProcessRecordCore()
    {
        RdsIdentifiers.ValidateInstanceId(DbInstanceId);
        WriteObject(WaitForInstance(DbInstanceId, Timeout));
    }
}
