namespace RealEstateOps.Engine.Incident;

/// <summary>Where an incident is in the runbook's process; Resolved and Closed incidents are no longer open.</summary>
public enum IncidentStatus
{
    Investigating,
    Identified,
    Mitigated,
    Resolved,
    Closed,
}
