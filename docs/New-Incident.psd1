@{
    Synopsis    = 'Opens an incident in the team''s shared incident store, with the runbook''s response and update clocks for its severity.'
    Description = @'
New-Incident is the Incident Response runbook's detection and reporting step: it opens an incident in the shared incident store (PostgreSQL, named by the context's IncidentDb* settings; Start-OpsSandbox sets them for the sandbox's own store) in status Investigating, with an id like INC-20261202-0001 (the UTC day and the day's sequence).

The severity sets the clocks Get-Incident checks: SEV1 (complete outage) must be answered within 5 minutes (the runbook's "immediately") and stakeholders updated every 30 minutes; SEV2 within 30 minutes, every 2 hours; SEV3 within 2 hours, daily; SEV4 within 24 hours, as needed. The first note (Add-IncidentNote) or a commander taking the incident (Set-Incident -Commander) is the response; each stakeholder update restarts the update clock.

The new incident becomes the operator's current incident (unless -NoUse): the journal entries of every command made meanwhile carry its id, and Add-IncidentNote, Set-Incident, Close-Incident and Export-PostMortem default to it. SEV1 and SEV2 incidents page the context's PagerDuty channels (Events API v2 trigger, the incident id as dedup key); a page that is not delivered is an error of its own, the incident stays open.
'@
    Parameters  = @{
        Severity = 'SEV1 (complete service outage), SEV2 (major functionality impacted), SEV3 (minor functionality impacted) or SEV4 (cosmetic).'
        Title = 'What is wrong, in one line, as stakeholders will read it.'
        Component = 'The affected component (api-service, database, llm-service, ...): who forms the response team.'
        Commander = 'The incident commander, when one is assigned at once (Set-Incident -Commander later otherwise).'
        Impact = 'Who is affected and how (it opens the post-mortem''s Impact section).'
        NoUse = 'Does not make the new incident the current one (the journal keeps stamping the current incident''s id, if any).'
    }
    Examples    = @(
        @{
            Title   = 'Open a SEV2 incident for database connection failures'
            Code    = 'New-Incident -Severity SEV2 -Title ''API cannot reach the database'' -Component database -Impact ''Searches fail with 500'''
            Remarks = 'Opens the incident, makes it current and pages the on-call (SEV2).'
        }
        @{
            Title   = 'Open a cosmetic issue without joining it'
            Code    = 'New-Incident -Severity SEV4 -Title ''Typo on the pricing page'' -Component web -NoUse'
            Remarks = 'A SEV4 pages nobody; the current incident stays as it was.'
        }
    )
    Links       = @('Get-Incident', 'Add-IncidentNote', 'Set-Incident', 'Close-Incident', 'Use-Incident', 'Export-PostMortem')
}
