using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Incident;

namespace RealEstateOps.Commands.Incident;

/// <summary>Incidents from the shared store, newest first (open ones unless -All or -Status), with overdue responses and updates flagged; streamed.</summary>
[Cmdlet(VerbsCommon.Get, "Incident", DefaultParameterSetName = "List")]
[OutputType(typeof(Engine.Incident.Incident))]
public sealed class GetIncidentCommand : IncidentCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Id", ValueFromPipelineByPropertyName = true)]
    [Alias("IncidentId")]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Every incident, also Resolved and Closed ones.</summary>
    [Parameter(ParameterSetName = "List")] public SwitchParameter All { get; set; }

    [Parameter(ParameterSetName = "List")]
    [ValidateSet("Investigating", "Identified", "Mitigated", "Resolved", "Closed")]
    public string[]? Status { get; set; }

    protected override void ProcessRecordCore()
    {
        var incidents = Incidents;
        var query = new IncidentQuery
        {
            Id = ParameterSetName == "Id" ? Id : null,
            All = All,
            Status = Status?.Select(s => StatusOf(s)!.Value).ToArray(),
        };
        Stream(ct => incidents.ListAsync(query, ct));
    }
}
