using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Incident;
using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Commands;

/// <summary>The incident store for every cmdlet that writes to an incident (the Incident cmdlets, the triage), the current incident, and paging.</summary>
public abstract partial class OpsCommandBase
{
    /// <summary>
    /// A client of the context's incident store (IncidentDbHost/Port/Name/User/PassFile; IncidentStoreNotConfigured without a
    /// host); where each setting came from goes to verbose. The caller owns it (dispose it, or hold it in an OwnedClient).
    /// </summary>
    protected IncidentStore OpenIncidentStore()
    {
        var settings = IncidentStoreSettings.Resolve(ActiveContext);
        foreach (var line in settings.Describe()) WriteVerbose(line);
        return IncidentStore.Open(settings.Target());
    }

    /// <summary>The operator's current incident (REALESTATEOPS_INCIDENT_ID, else the one New-Incident or Use-Incident recorded), or null.</summary>
    protected string? CurrentIncidentId => new CurrentIncident(Paths).Get()?.Value;

    /// <summary>The incident the journal stamps on this command's entries; never fails the command.</summary>
    private string? JournalIncidentId()
    {
        try { return CurrentIncidentId; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
    }

    /// <summary>
    /// What PagerDuty must hear about <paramref name="transition"/> (trigger, acknowledge, resolve; dedup key = the incident id),
    /// sent to the context's PagerDuty channels through <see cref="NotifyStakeholders"/>; nothing when the context has none.
    /// </summary>
    protected void PageIncident(IncidentTransition transition)
    {
        var actions = transition.PagerActions;
        if (actions.Count == 0) return;
        var channels = ActiveContext.Effective.NotificationChannels?.Where(c => c.Kind == NotificationKind.PagerDuty).Select(c => c.Name).ToArray();
        if (channels is not { Length: > 0 })
        {
            WriteVerbose($"Incident {transition.After.Id}: no PagerDuty channel in the context; nobody is paged.");
            return;
        }
        var incident = transition.After;
        foreach (var action in actions)
        {
            var notice = NewNotice($"{incident.Id} {incident.Severity}: {incident.Title}", incident.Impact, incident.Status.ToString(),
                incident.Severity == IncidentSeverity.SEV1 ? NotificationSeverity.Critical : NotificationSeverity.Warning,
                component: incident.Component, actor: incident.Commander, action: action, dedupKey: incident.Id);
            try
            {
                NotifyStakeholders(notice, channels);
            }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                // The incident itself was recorded: a page that did not go out is an error of its own, not a lost change.
                WriteOpsError(ex);
            }
        }
    }
}
