@{
    Synopsis    = 'Changes an incident''s severity, commander, status or summary; each change is a note in its timeline.'
    Description = @'
Set-Incident is the triage and mitigation step: it assigns the incident commander, corrects the severity, and moves the status through Investigating, Identified, Mitigated and Resolved (Close-Incident closes). Each change is recorded as a StatusChange note by the operator; values equal to the current ones change nothing. The change runs under the incident's row lock, so two operators changing it at once both land.

PagerDuty hears about SEV1 and SEV2 incidents (dedup key = the incident id): escalating to SEV1 or SEV2 triggers a page, leaving Investigating or a commander taking the incident acknowledges it, Resolved resolves it (as does lowering it below SEV2).
'@
    Parameters  = @{
        Id = 'The incident; defaults to the current one. Taken from the pipeline by property name.'
        Severity = 'The new severity: SEV1, SEV2, SEV3 or SEV4.'
        Commander = 'The incident commander (their taking it is the incident''s response).'
        Status = 'Investigating, Identified, Mitigated or Resolved (resolution starts the post-mortem''s 48 hours).'
        Summary = 'What happened, as the post-mortem''s summary will say it.'
    }
    Examples    = @(
        @{
            Title   = 'Take command of the current incident'
            Code    = 'Set-Incident -Commander alice -Status Identified'
            Remarks = 'Alice commands it; the cause is identified; PagerDuty''s page is acknowledged.'
        }
        @{
            Title   = 'Escalate an incident'
            Code    = 'Get-Incident | Where-Object Severity -eq SEV3 | Set-Incident -Severity SEV2'
            Remarks = 'Escalates the open SEV3 incidents to SEV2, paging the on-call.'
        }
    )
    Links       = @('Get-Incident', 'Close-Incident', 'Add-IncidentNote')
}
