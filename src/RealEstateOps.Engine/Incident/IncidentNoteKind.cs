namespace RealEstateOps.Engine.Incident;

/// <summary>
/// What a note in an incident's timeline is: a finding (investigation, also triage evidence), an action taken, an update to
/// stakeholders (restarts the update clock), or a change the store recorded itself (status, severity, commander).
/// </summary>
public enum IncidentNoteKind
{
    Finding,
    Action,
    StakeholderUpdate,
    StatusChange,
}
