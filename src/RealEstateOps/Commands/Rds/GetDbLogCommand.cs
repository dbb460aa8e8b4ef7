using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// The runbook's "aws rds download-db-log-file-portion": a whole log file (marker paging) or its tail,
/// streamed line by line as objects, optionally only the lines matching a regex.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DbLog")]
[OutputType(typeof(DbLogLine))]
public sealed class GetDbLogCommand : RdsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DbLogFileNameCompleter))]
    public string LogFileName { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    [Parameter]
    [ValidateRange(1, 100_000)]
    public int? Tail { get; set; }

    [Parameter] public string? Pattern { get; set; }

    protected override void ProcessRecordCore()
    {
        var pattern = LogPattern.Compile(Pattern);
        var id = InstanceId(DbInstanceId);
        Stream(ct => Rds.ReadLogAsync(id, LogFileName, Tail, pattern, ct));
    }
}
