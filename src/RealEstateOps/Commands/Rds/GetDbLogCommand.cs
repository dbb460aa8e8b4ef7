using System.Management.Automation;
using System.Text.RegularExpressions;
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
        Regex? regex = null;
        if (!string.IsNullOrEmpty(Pattern))
        {
            try { regex = new Regex(Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException ex)
            {
                throw new OpsException("DbLogPatternInvalid", OpsErrorCategory.InvalidArgument, $"-Pattern '{Pattern}' is not a valid regular expression: {ex.Message}", Pattern);
            }
        }
        var id = InstanceId(DbInstanceId);
        Run(async ct =>
        {
            await foreach (var line in Rds.ReadLogAsync(id, LogFileName, Tail, ct).ConfigureAwait(false))
                if (regex is null || regex.IsMatch(line.Line)) Emit(line);
        });
    }
}
