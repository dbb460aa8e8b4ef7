@{
    Synopsis    = 'Shows the running sandbox and the requests it has served.'
    Description = @'
Get-OpsSandbox returns the sandbox started by Start-OpsSandbox: its URL, process, whether it still answers, its clock speed and fault rate, the platform database it hosts, and how many requests each emulated service has served (benchmarks compare these counts with peer tools). It returns nothing when no sandbox was started.
'@
    Parameters  = @{}
    Examples    = @(
        @{
            Code    = '(Get-OpsSandbox).RequestCounts'
            Remarks = 'Shows the requests served per service.'
        }
    )
    Links       = @('Start-OpsSandbox', 'Stop-OpsSandbox', 'Set-OpsSandboxFault')
}
