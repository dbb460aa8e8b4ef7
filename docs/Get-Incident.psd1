@{
    Synopsis    = 'Lists incidents from the shared store, open ones by default, with overdue responses and updates flagged.'
    Description = @'
Get-Incident reads the context's incident store, newest first, a page at a time as the pipeline asks (Get-Incident | Select-Object -First 1 reads one page). Without parameters it lists the open incidents (Investigating, Identified, Mitigated); -All lists every one, -Status those in the statuses given, -Id the ones named (IncidentNotFound for an id the store does not have).

Each incident carries its clocks, evaluated now: ResponseDue and OverdueResponse (no note yet, past the severity's response time), UpdateDue and OverdueUpdate (the last stakeholder update, or the opening, older than the severity's update interval; SEV4 has none). The table shows them in the OVERDUE column.
'@
    Parameters  = @{
        Id = 'Incident ids (INC-yyyyMMdd-NNNN); tab completion offers the open ones. Also taken from the pipeline by property name (Id, IncidentId).'
        All = 'Lists every incident, also Resolved and Closed ones.'
        Status = 'Lists the incidents in these statuses: Investigating, Identified, Mitigated, Resolved, Closed.'
    }
    Examples    = @(
        @{
            Title   = 'List the open incidents'
            Code    = 'Get-Incident'
            Remarks = 'The open incidents, with overdue responses and updates in the OVERDUE column.'
        }
        @{
            Title   = 'Find incidents whose stakeholders are waiting for an update'
            Code    = 'Get-Incident | Where-Object OverdueUpdate'
            Remarks = 'Open incidents whose update clock has run out.'
        }
        @{
            Title   = 'List every resolved or closed incident'
            Code    = 'Get-Incident -Status Resolved, Closed'
            Remarks = 'Incidents waiting for or past their post-mortem.'
        }
    )
    Links       = @('New-Incident', 'Add-IncidentNote', 'Set-Incident')
}
