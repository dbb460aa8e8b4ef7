@{
    Synopsis    = 'Closes a resolved incident, or resolves and closes it in one step with -Resolution.'
    Description = @'
Close-Incident ends an incident: one that is Resolved is closed; one that is still open is closed only with -Resolution, which resolves it (the resolution becomes its summary) and closes it in one step; without it the answer is IncidentNotResolved. A closed incident takes no more notes or changes.

The incident stops being the operator's current incident, PagerDuty's page is resolved (SEV1/SEV2), and its post-mortem is due 48 hours after resolution (Export-PostMortem).
'@
    Parameters  = @{
        Id = 'The incident; defaults to the current one. Taken from the pipeline by property name.'
        Resolution = 'What resolved it: resolves an incident that is not yet Resolved and closes it.'
    }
    Examples    = @(
        @{
            Title   = 'Resolve and close the current incident'
            Code    = 'Close-Incident -Resolution ''Raised max_connections to 400 and restarted the instance'''
            Remarks = 'Resolves and closes it; the post-mortem is due in 48 hours.'
        }
        @{
            Title   = 'Close every resolved incident'
            Code    = 'Get-Incident -Status Resolved | Close-Incident'
            Remarks = 'Closes the incidents already resolved.'
        }
    )
    Links       = @('Set-Incident', 'Export-PostMortem', 'Get-Incident')
}
