namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The runbook's clocks per severity: respond within (SEV1 "immediately", taken as 5 minutes; SEV2 30 minutes; SEV3 2 hours;
/// SEV4 24 hours) and update stakeholders every (SEV1 30 minutes, SEV2 2 hours, SEV3 daily, SEV4 as needed: no deadline).
/// </summary>
public static class IncidentClock
{
    /// <summary>How long after opening the first response (a note, or a commander taking it) is due.</summary>
    public static TimeSpan ResponseWithin(IncidentSeverity severity) => severity switch
    {
        IncidentSeverity.SEV1 => TimeSpan.FromMinutes(5),
        IncidentSeverity.SEV2 => TimeSpan.FromMinutes(30),
        IncidentSeverity.SEV3 => TimeSpan.FromHours(2),
        _ => TimeSpan.FromHours(24),
    };

    /// <summary>How often stakeholders must hear (from the last StakeholderUpdate note, else from opening); null: as needed.</summary>
    public static TimeSpan? UpdateEvery(IncidentSeverity severity) => severity switch
    {
        IncidentSeverity.SEV1 => TimeSpan.FromMinutes(30),
        IncidentSeverity.SEV2 => TimeSpan.FromHours(2),
        IncidentSeverity.SEV3 => TimeSpan.FromDays(1),
        _ => null,
    };

    /// <summary>Whether <paramref name="status"/> still runs the clocks (Investigating, Identified, Mitigated).</summary>
    public static bool IsOpen(IncidentStatus status) => status is not (IncidentStatus.Resolved or IncidentStatus.Closed);

    /// <summary>SEV1 and SEV2 page the on-call through PagerDuty.</summary>
    public static bool Pages(IncidentSeverity severity) => severity <= IncidentSeverity.SEV2;
}
