using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>Prometheus' active alerts (pending and firing), by name and state.</summary>
[Cmdlet(VerbsCommon.Get, "PromAlert")]
[OutputType(typeof(PromAlert))]
public sealed class GetPromAlertCommand : PromCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [Alias("AlertName")]
    [ArgumentCompleter(typeof(AlertRuleNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateSet("Pending", "Firing")]
    public string? State { get; set; }

    protected override void ProcessRecordCore()
    {
        var query = new PromAlertQuery { Names = Name, State = State is null ? null : Enum.Parse<PromAlertState>(State, ignoreCase: true) };
        Stream(ct => Queries.ListAlertsAsync(query, Listener, ct));
    }
}
