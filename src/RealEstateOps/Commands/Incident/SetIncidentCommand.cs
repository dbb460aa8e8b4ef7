using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Incident;

namespace RealEstateOps.Commands.Incident;

/// <summary>
/// Triage and mitigation: changes an incident's severity, commander, status (Investigating, Identified, Mitigated, Resolved) or
/// summary, each change a note in its timeline. PagerDuty hears it for SEV1/SEV2: a trigger on escalation to SEV1/SEV2, an
/// acknowledge when it leaves Investigating or a commander takes it, a resolve when it is Resolved.
/// </summary>
[Cmdlet(VerbsCommon.Set, "Incident", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Engine.Incident.Incident))]
public sealed class SetIncidentCommand : IncidentCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IncidentId")]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    public string? Id { get; set; }

    [Parameter]
    [ValidateSet("SEV1", "SEV2", "SEV3", "SEV4")]
    public string? Severity { get; set; }

    [Parameter] [ValidateNotNullOrEmpty] public string? Commander { get; set; }

    [Parameter]
    [ValidateSet("Investigating", "Identified", "Mitigated", "Resolved")]
    public string? Status { get; set; }

    [Parameter] [ValidateNotNullOrEmpty] public string? Summary { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = IncidentIdOrCurrent(Id);
        var change = new IncidentChange
        {
            Id = id, Severity = SeverityOf(Severity), Commander = Commander, Status = StatusOf(Status), Summary = Summary, Author = Operator, Host = Machine,
        };
        var what = string.Join(", ", new[]
        {
            Severity is null ? null : "severity " + Severity, Commander is null ? null : "commander " + Commander,
            Status is null ? null : "status " + Status, Summary is null ? null : "summary",
        }.Where(s => s is not null));
        if (what.Length == 0)
        {
            WriteWarning("Nothing to change: give -Severity, -Commander, -Status or -Summary.");
            return;
        }
        var incidents = Incidents;
        var transition = Change(id, $"Set {what}", ct => incidents.SetAsync(change, ct));
        if (transition is null) return;
        WriteObject(transition.After);
        PageIncident(transition);
    }
}
