@{
    Synopsis    = 'Joins an open incident: its id goes on every journal entry and is the incident commands default to.'
    Description = @'
Use-Incident makes an open incident the operator's current incident, recorded in a small owner-only file in the module's state folder, so every command's journal entries carry its id (the post-mortem's timeline needs no copying) and Add-IncidentNote, Set-Incident, Close-Incident and Export-PostMortem default to it. New-Incident does this for the incident it opens; Close-Incident clears it. -Clear leaves it.

$env:REALESTATEOPS_INCIDENT_ID, when set, names the current incident for that process instead (a scheduled script working an incident).
'@
    Parameters  = @{
        Id = 'The incident to join (tab completion offers the open ones). Taken from the pipeline by property name.'
        Clear = 'Leaves the current incident: journal entries no longer carry an incident id.'
    }
    Examples    = @(
        @{
            Title   = 'Join the newest open incident'
            Code    = 'Get-Incident | Select-Object -First 1 | Use-Incident'
            Remarks = 'Its id now goes on every journal entry.'
        }
        @{
            Title   = 'Leave the current incident'
            Code    = 'Use-Incident -Clear'
            Remarks = 'No incident is current any more.'
        }
    )
    Links       = @('New-Incident', 'Get-OpsJournal', 'Export-PostMortem')
}
