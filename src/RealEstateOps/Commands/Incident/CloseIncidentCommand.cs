using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Incident;

namespace RealEstateOps.Commands.Incident;

/// <summary>
/// Closes a Resolved incident (IncidentNotResolved otherwise), or with -Resolution resolves and closes it in one step; it is no
/// longer the operator's current incident, and PagerDuty's page (SEV1/SEV2) is resolved. A closed incident takes no more changes.
/// </summary>
[Cmdlet(VerbsCommon.Close, "Incident", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Engine.Incident.Incident))]
public sealed class CloseIncidentCommand : IncidentCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IncidentId")]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    public string? Id { get; set; }

    /// <summary>What resolved it: an incident not yet Resolved is resolved with this as its summary, then closed.</summary>
    [Parameter] [ValidateNotNullOrEmpty] public string? Resolution { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = IncidentIdOrCurrent(Id);
        var incidents = Incidents;
        var current = new CurrentIncident(Paths);
        var request = new IncidentCloseRequest { Id = id, Resolution = Resolution, Author = Operator, Host = Machine };
        var transition = Change(id, Resolution is null ? "Close the resolved incident" : "Resolve and close the incident", async ct =>
        {
            var closed = await incidents.CloseAsync(request, ct).ConfigureAwait(false);
            current.Clear(id);
            return closed;
        });
        if (transition is null) return;
        WriteObject(transition.After);
        PageIncident(transition);
    }
}
