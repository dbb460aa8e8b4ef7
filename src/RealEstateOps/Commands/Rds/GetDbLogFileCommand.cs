using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>Lists a DB instance's log files (name, size, last written).</summary>
[Cmdlet(VerbsCommon.Get, "DbLogFile")]
[OutputType(typeof(DbLogFile))]
public sealed class GetDbLogFileCommand : RdsCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    [Parameter] public string? FilenameContains { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = InstanceId(DbInstanceId);
        Stream(ct => Rds.GetLogFilesAsync(id, FilenameContains, ct));
    }
}
