@{
    Synopsis    = 'Sets how fast the running sandbox''s clock runs.'
    Description = @'
The sandbox's emulated services move their state forward on a clock of their own: RDS snapshots, restores and instance changes, Kubernetes rollouts. At speed 1 they take as long as on AWS (a snapshot of the platform database about 2 minutes, a restore about 7); at speed 60 a minute of the sandbox's time passes in a second, so the same snapshot takes 2 seconds and the restore 7. Start-OpsSandbox -Speed sets the speed at start; Set-OpsSandboxClock changes it while the sandbox runs. The sandbox's time goes on from where it is, so a transition under way keeps its progress and ends sooner (or later) from then on.

The change is journaled (target: the sandbox's URL) and -WhatIf shows it without making it. It returns the new speed, the speed it replaced and the sandbox's own time (UTC), which is what the emulated services stamp on snapshots and events. Get-OpsSandbox shows the speed in effect (SPEED).

A speed that is not greater than 0 and at most 10000 is an error (SandboxSpeedInvalid), checked before anything else, also under -WhatIf. When no sandbox is running the error id is SandboxNotRunning.
'@
    Parameters  = @{
        Speed = 'The speed factor: the sandbox''s time runs this many times faster than real time. 1 is the pace of AWS; 60 makes a minute pass in a second. Greater than 0 and at most 10000.'
    }
    Examples    = @(
        @{
            Title   = 'Rehearse a restore in seconds'
            Code    = 'Set-OpsSandboxClock -Speed 60'
            Remarks = 'Makes the sandbox''s time run 60 times faster: a snapshot takes about 2 seconds and a restore about 7, so a restore runbook can be rehearsed end to end in under a minute.'
        }
        @{
            Title   = 'Watch a transition at the pace of AWS'
            Code    = 'Set-OpsSandboxClock 1; Get-OpsSandbox'
            Remarks = 'Puts the clock back to real time, to see progress and waits as an operator sees them on AWS, and shows the sandbox with its speed (SPEED 1x).'
        }
    )
    Links       = @('Start-OpsSandbox', 'Get-OpsSandbox', 'Set-OpsSandboxFault')
}
