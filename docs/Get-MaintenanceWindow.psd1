@{
    Synopsis    = 'Shows the maintenance windows: the one open now or the next ones, for each kind of change.'
    Description = @'
Get-MaintenanceWindow computes the maintenance windows of the active context. There are three kinds, from the Maintenance runbook: Database (Sundays 01:00-03:00 UTC), Kubernetes (the last Saturday of each month, 01:00-05:00 UTC) and Application (Tuesdays and Thursdays, 22:00-23:00 UTC). A context can change any of them with Set-OpsContext -DatabaseWindow, -KubernetesWindow or -ApplicationWindow; the Source property says where each rule comes from (the context or the built-in default).

For each kind it returns the occurrence that is open now (IsOpen, and ClosesIn), else the next one (OpensIn); -Next returns that many occurrences per kind, the open one counting as the first. -At computes for another moment instead of now: a time without a zone is read as UTC, as the windows are written. A window's end is outside it (at 05:00 the Kubernetes window is closed).

A rule is DAYS HH:MM-HH:MM [ZONE]: DAYS is a comma list of Daily, day names (Sun), ranges (Mon-Fri) and monthly ordinals (FirstSat, SecondSat, ThirdSat, FourthSat, LastSat); an end at or before the start ends on the next day; the zone is UTC unless an IANA zone such as Europe/Berlin is given.

When the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true, shown as Enforced), the window-bound cmdlets refuse outside their window with OutsideMaintenanceWindow: Invoke-NodeDrain and Disable-NodeScheduling (Kubernetes), Restart-Deployment (Application) and Import-Database (Database). Recovery commands (Undo-Deployment, Enable-NodeScheduling, Restore-Database, Restore-S3Object, New-DbSnapshot, Set-DbConnectionSecret) are never window-bound: an incident cannot wait.
'@
    Parameters  = @{
        Kind = 'Only these kinds: Database, Kubernetes, Application. All three by default.'
        Next = 'How many occurrences of each kind to return, the open one (if any) counting as the first. The default is 1.'
        At   = 'The moment to compute for instead of now. A time without a zone (''2025-03-29 02:00'') is UTC; Get-Date''s local time is converted.'
    }
    Examples    = @(
        @{
            Title   = 'See every window'
            Code    = 'Get-MaintenanceWindow'
            Remarks = 'For each kind, the window open now or the next one, with how long until it opens or closes, and its rule.'
        }
        @{
            Title   = 'Plan the next Kubernetes windows'
            Code    = 'Get-MaintenanceWindow -Kind Kubernetes -Next 3'
            Remarks = 'The next three last-Saturday windows (the current one first, when it is open).'
        }
        @{
            Title   = 'Check a moment'
            Code    = "Get-MaintenanceWindow -Kind Kubernetes -At '2025-03-29 04:59' | Select-Object Kind, Start, End, IsOpen, ClosesIn"
            Remarks = 'March 2025 has five Saturdays: its Kubernetes window is on the 29th, and at 04:59 UTC it is open for one more minute.'
        }
    )
    Links       = @('Test-MaintenanceWindow', 'Set-OpsContext', 'Get-OpsJournal')
}
