@{
    Synopsis    = 'Shows the running sandbox and the requests it has served.'
    Description = @'
Get-OpsSandbox returns the sandbox started by Start-OpsSandbox: its URL, process, whether it still answers, its clock speed and fault rate, the platform database it hosts, and how many requests each emulated service has served (benchmarks compare these counts with peer tools). It returns nothing when no sandbox was started.

ControlTokenFile names the file (readable only by you) holding the control token of this start, which the sandbox's own endpoints under /_sandbox require; KubeconfigPath names the kubeconfig with this start's Kubernetes tokens. Both are the files the sandbox named in its info file when it started.
'@
    Parameters  = @{}
    Examples    = @(
        @{
            Code    = '(Get-OpsSandbox).RequestCounts'
            Remarks = 'Shows the requests served per service.'
        }
        @{
            Code    = '$sandbox = Get-OpsSandbox; Invoke-RestMethod "$($sandbox.Url)_sandbox/requests" -Headers @{ ''X-Sandbox-Token'' = (Get-Content -Raw $sandbox.ControlTokenFile).Trim() }'
            Remarks = 'Calls a control endpoint of the sandbox directly, with its control token (requests counted per operation).'
        }
    )
    Links       = @('Start-OpsSandbox', 'Stop-OpsSandbox', 'Set-OpsSandboxFault')
}
