@{
    Synopsis    = 'Stops the local sandbox.'
    Description = @'
Stop-OpsSandbox asks the sandbox started by Start-OpsSandbox to shut down, waits until it has stopped its PostgreSQL server and exited, and forgets it. A sandbox that no longer answers is killed, but only when the recorded process is still the one Start-OpsSandbox started (same start time, and its command line runs the sandbox program with this state folder); otherwise nothing is killed and the error id is SandboxProcessMismatch. Its PostgreSQL server is then stopped only when its folder still carries the marker recorded when it was made, and so are its Prometheus and Alertmanager: each only while it is still the process recorded at the start (same start time, its command line naming the sandbox's monitoring folder), and the monitoring folder only when it carries its recorded marker. The sandbox context stays; it points at the next sandbox once one is started. When no sandbox is running the error id is SandboxNotRunning.

The shutdown request carries the control token of that start (from the file the sandbox's ControlTokenFile names); a sandbox that refuses it is left running and the error id is SandboxControlTokenRejected.
'@
    Parameters  = @{
        PassThru = 'Returns the sandbox that was stopped.'
    }
    Examples    = @(
        @{
            Title   = 'Stop the sandbox'
            Code    = 'Stop-OpsSandbox'
            Remarks = 'Stops the sandbox and its PostgreSQL server, after confirmation.'
        }
        @{
            Title   = 'Stop it from a script, and see what stopped'
            Code    = 'Stop-OpsSandbox -Confirm:$false -PassThru | Format-List Url, ProcessId, StateFolder'
            Remarks = 'Stops the sandbox without a prompt and shows which one it was.'
        }
    )
    Links       = @('Start-OpsSandbox', 'Get-OpsSandbox')
}
