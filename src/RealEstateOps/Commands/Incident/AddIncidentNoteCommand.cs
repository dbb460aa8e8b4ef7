using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Incident;
using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Commands.Incident;

/// <summary>
/// Adds a finding, an action or a stakeholder update to an incident's timeline (its own row: several operators at once lose
/// nothing). The first note is the incident's response; a StakeholderUpdate restarts the update clock. -Notify also sends the
/// note to the context's notification channels (all, or -NotifyChannel).
/// </summary>
[Cmdlet(VerbsCommon.Add, "IncidentNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(IncidentNote))]
public sealed class AddIncidentNoteCommand : IncidentCommandBase
{
    /// <summary>The incident (default: the current one).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IncidentId")]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    public string? Id { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Text { get; set; } = "";

    [Parameter]
    [ValidateSet("Finding", "Action", "StakeholderUpdate")]
    public string Kind { get; set; } = "Finding";

    /// <summary>Also send the note to stakeholders (Send-OpsNotification's channels).</summary>
    [Parameter] public SwitchParameter Notify { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NotificationChannelCompleter))]
    public string[]? NotifyChannel { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = IncidentIdOrCurrent(Id);
        var kind = Enum.Parse<IncidentNoteKind>(Kind, ignoreCase: true);
        var incidents = Incidents;
        var note = Change(id, $"Add a {kind} note", ct => incidents.AddNoteAsync(id, kind, Text, Operator, ct, Machine));
        if (note is null) return;
        WriteObject(note);
        if (!Notify) return;
        var incident = Run(ct => incidents.GetAsync(id, ct));
        var severity = incident.Severity switch
        {
            IncidentSeverity.SEV1 => NotificationSeverity.Critical,
            IncidentSeverity.SEV2 => NotificationSeverity.Warning,
            _ => NotificationSeverity.Info,
        };
        // A stakeholder notice, not a page: PagerDuty channels get an info-level trigger only when they take its severity.
        NotifyStakeholders(NewNotice($"{incident.Id} {incident.Severity} {kind}: {Text}", incident.Title, incident.Status.ToString(), severity,
            component: incident.Component, dedupKey: incident.Id), NotifyChannel);
    }
}
