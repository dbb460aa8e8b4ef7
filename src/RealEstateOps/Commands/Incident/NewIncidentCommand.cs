using System.Management.Automation;
using RealEstateOps.Engine.Incident;

namespace RealEstateOps.Commands.Incident;

/// <summary>
/// Detection and reporting: opens an incident in the shared store (status Investigating, the response and update clocks of its
/// severity running), makes it the operator's current incident (journal entries carry its id) and, for SEV1/SEV2, pages the
/// context's PagerDuty channels (dedup key = the incident id).
/// </summary>
[Cmdlet(VerbsCommon.New, "Incident", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Engine.Incident.Incident))]
public sealed class NewIncidentCommand : IncidentCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("SEV1", "SEV2", "SEV3", "SEV4")]
    public string Severity { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "";

    /// <summary>The affected component (e.g. api-service, database, llm-service): who forms the response team.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Component { get; set; } = "";

    [Parameter] public string? Commander { get; set; }

    [Parameter] public string? Impact { get; set; }

    /// <summary>Do not make the new incident the current one (journal entries keep the current incident's id).</summary>
    [Parameter] public SwitchParameter NoUse { get; set; }

    protected override void ProcessRecordCore()
    {
        var incidents = Incidents;
        var request = new NewIncidentRequest
        {
            Severity = SeverityOf(Severity)!.Value, Title = Title, Component = Component, Commander = Commander, Impact = Impact,
            OpenedBy = Operator, Host = Machine,
        };
        var current = new CurrentIncident(Paths);
        var transition = Change(Title, $"Open a {Severity} incident on {Component}", async ct =>
        {
            var opened = await incidents.NewAsync(request, ct).ConfigureAwait(false);
            if (!NoUse) current.Set(opened.After.Id);
            return opened;
        });
        if (transition is null) return;
        WriteObject(transition.After);
        PageIncident(transition);
    }
}
