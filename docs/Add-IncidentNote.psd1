@{
    Synopsis    = 'Adds a finding, an action or a stakeholder update to an incident''s timeline.'
    Description = @'
Add-IncidentNote writes one note to the incident (default: the current incident, see Use-Incident) with who wrote it, from which host and when. Each note is a row of its own, so several operators writing at once lose nothing.

The first note is the incident's response (its response clock stops); a StakeholderUpdate restarts the update clock. With -Notify the note also goes to stakeholders through the context's notification channels (all, or -NotifyChannel), as Send-OpsNotification sends it, journaled as a notice of its own. A closed incident takes no more notes (IncidentClosed).
'@
    Parameters  = @{
        Id = 'The incident; defaults to the current one (Use-Incident, New-Incident, $env:REALESTATEOPS_INCIDENT_ID). Taken from the pipeline by property name.'
        Text = 'What was found, done or told.'
        Kind = 'Finding (the default; what the investigation found, also triage evidence), Action (what was done) or StakeholderUpdate (what stakeholders were told: restarts the update clock).'
        Notify = 'Also sends the note to stakeholders through the context''s notification channels.'
        NotifyChannel = 'The channels -Notify sends to (names, wildcards allowed); all of the context''s channels when left out.'
    }
    Examples    = @(
        @{
            Title   = 'Record a finding in the current incident'
            Code    = 'Add-IncidentNote -Text ''Connections at max_connections since 10:02'' -Kind Finding'
            Remarks = 'The note, with its author and time; the incident''s response clock stops.'
        }
        @{
            Title   = 'Tell stakeholders and record that they were told'
            Code    = 'Add-IncidentNote -Text ''Rolling back api-service to v1.1.0'' -Kind StakeholderUpdate -Notify -NotifyChannel ops-slack'
            Remarks = 'Restarts the update clock and posts the update to Slack.'
        }
    )
    Links       = @('New-Incident', 'Get-Incident', 'Send-OpsNotification')
}
