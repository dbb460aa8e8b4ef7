using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Engine.Incident;

/// <summary>
/// An incident before and after a change, and what PagerDuty must hear about it (dedup key = the incident id): SEV1/SEV2 page
/// (trigger) when opened or escalated to SEV1/SEV2; acknowledge when a paging incident leaves Investigating or a commander takes
/// it; resolve when it is Resolved or Closed.
/// </summary>
public sealed class IncidentTransition
{
    /// <summary>Null for a new incident.</summary>
    public Incident? Before { get; init; }
    public required Incident After { get; init; }

    /// <summary>The PagerDuty actions in the order to send them.</summary>
    public IReadOnlyList<PagerDutyAction> PagerActions => PagerActionsFor(Before, After);

    public static IReadOnlyList<PagerDutyAction> PagerActionsFor(Incident? before, Incident after)
    {
        var actions = new List<PagerDutyAction>();
        var wasPaging = before is not null && IncidentClock.Pages(before.Severity) && IncidentClock.IsOpen(before.Status);
        var pages = IncidentClock.Pages(after.Severity);
        if (!pages && !wasPaging) return actions;
        if (!IncidentClock.IsOpen(after.Status))
        {
            // Only what was paged is resolved; a SEV3 that is closed was never paged.
            if (wasPaging || (before is null && pages)) actions.Add(PagerDutyAction.Resolve);
            return actions;
        }
        if (!pages)
        {
            // Lowered below SEV2 while paging: the page is resolved.
            actions.Add(PagerDutyAction.Resolve);
            return actions;
        }
        if (!wasPaging) actions.Add(PagerDutyAction.Trigger);
        var leftInvestigating = after.Status != IncidentStatus.Investigating && (before is null || before.Status == IncidentStatus.Investigating || !wasPaging);
        var commanderTook = before is not null && !string.IsNullOrEmpty(after.Commander) && !string.Equals(before.Commander, after.Commander, StringComparison.Ordinal);
        if (leftInvestigating || commanderTook) actions.Add(PagerDutyAction.Acknowledge);
        return actions;
    }
}
