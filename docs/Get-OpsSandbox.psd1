@{
    Synopsis    = 'Shows the running sandbox and the requests it has served.'
    Description = @'
Get-OpsSandbox returns the sandbox started by Start-OpsSandbox: its URL, process, whether it still answers, its clock speed (as it is now: Set-OpsSandboxClock changes it while the sandbox runs) and fault rate, the platform database it hosts, and how many requests each emulated service has served (benchmarks compare these counts with peer tools).

When no sandbox was started, it returns no object and says so on the information stream: "No sandbox is running ... Start one with Start-OpsSandbox." The console shows that message as it shows Write-Host's text, whatever $InformationPreference says; -InformationAction Ignore (or 6>$null) leaves it out, and -InformationVariable keeps it. It is not an error, so a script can test for a running sandbox with if (Get-OpsSandbox).

ControlTokenFile names the file (readable only by you) holding the control token of this start, which the sandbox's own endpoints under /_sandbox require; KubeconfigPath names the kubeconfig with this start's Kubernetes tokens. Both are the files the sandbox named in its info file when it started. Services lists the emulated services, the values Set-OpsSandboxFault -Service takes; PlatformServices the platform services whose synthetic traffic the sandbox's metrics follow, fault targets too.

PrometheusUrl and AlertmanagerUrl say where the sandbox's Prometheus and Alertmanager listen (the PROM column shows Prometheus' port, or off); MonitoringMessage says where they run, or why monitoring is off (the programs are not installed, or the sandbox was started with -NoMonitoring).
'@
    Parameters  = @{}
    Examples    = @(
        @{
            Title   = 'Show the sandbox'
            Code    = 'Get-OpsSandbox'
            Remarks = 'Shows the URL, process, whether it answers (UP), the clock speed, the fault rate, the platform database and the context written for it.'
        }
        @{
            Title   = 'Find the sandbox''s Prometheus'
            Code    = '(Get-OpsSandbox).PrometheusUrl'
            Remarks = 'The URL of the sandbox''s Prometheus (empty when monitoring is off); the sandbox context has it as ServiceUrls[''prometheus''].'
        }
        @{
            Title   = 'Count the requests served per service'
            Code    = '(Get-OpsSandbox).RequestCounts'
            Remarks = 'Shows the requests served per service since the start or the last Set-OpsSandboxFault -Reset -ResetRequestCount.'
        }
        @{
            Title   = 'Start a sandbox only when none is running'
            Code    = 'if (-not (Get-OpsSandbox -InformationAction Ignore)) { Start-OpsSandbox -Speed 60 }'
            Remarks = 'In a script: starts a sandbox with a fast clock unless one runs already, without the message that none is running.'
        }
        @{
            Title   = 'Call a control endpoint directly'
            Code    = '$sandbox = Get-OpsSandbox; Invoke-RestMethod "$($sandbox.Url)_sandbox/requests" -Headers @{ ''X-Sandbox-Token'' = (Get-Content -Raw $sandbox.ControlTokenFile).Trim() }'
            Remarks = 'Calls a control endpoint of the sandbox with its control token (requests counted per operation).'
        }
    )
    Links       = @('Start-OpsSandbox', 'Stop-OpsSandbox', 'Set-OpsSandboxClock', 'Set-OpsSandboxFault')
}
