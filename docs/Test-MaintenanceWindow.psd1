@{
    Synopsis    = 'Tells whether a kind''s maintenance window is open now (or at a given moment).'
    Description = @'
Test-MaintenanceWindow returns $true when the Database, Kubernetes or Application maintenance window of the active context is open now (or at -At), else $false, whether or not the context enforces windows. It is the check a scheduled job makes before it starts work of that kind.

With -Detailed it returns a verdict instead: IsOpen, Enforced (whether the context refuses changes outside the window), Allowed (a change of this kind would be accepted now: the window is open or not enforced), the Window (the occurrence open now or the next one, with OpensIn and ClosesIn) and a Summary sentence. The window-bound cmdlets make the same check before they send anything, and refuse with OutsideMaintenanceWindow when the window is closed and enforced, unless -IgnoreMaintenanceWindow -Reason is given.
'@
    Parameters  = @{
        Kind     = 'The kind of change: Database, Kubernetes or Application.'
        At       = 'The moment to test instead of now. A time without a zone (''2025-03-29 02:00'') is UTC; Get-Date''s local time is converted.'
        Detailed = 'Returns a verdict object (IsOpen, Enforced, Allowed, Window, Summary) instead of $true or $false.'
    }
    Examples    = @(
        @{
            Title   = 'Start Kubernetes work only in its window'
            Code    = "if (Test-MaintenanceWindow -Kind Kubernetes) { 'In the Kubernetes window: go ahead.' } else { 'Outside the Kubernetes window: nothing to do.' }"
            Remarks = 'The guard a scheduled job puts in front of a node group or cluster upgrade.'
        }
        @{
            Title   = 'See why a change would be refused'
            Code    = 'Test-MaintenanceWindow -Kind Database -Detailed | Format-List Kind, IsOpen, Enforced, Allowed, Summary'
            Remarks = 'Whether a database change would be accepted now, and when the window next opens.'
        }
        @{
            Title   = 'Test a moment: the window''s end is outside it'
            Code    = "Test-MaintenanceWindow -Kind Application -At '2025-01-07 23:00'"
            Remarks = 'False: the Tuesday window runs from 22:00 until 23:00, and 23:00 itself is outside it.'
        }
    )
    Links       = @('Get-MaintenanceWindow', 'Set-OpsContext')
}
