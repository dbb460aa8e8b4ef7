<#
.SYNOPSIS
    Kubernetes benchmarks against kubectl, in one run on one sandbox:
    1. draining a node with 200 pods (2 s termination grace; 20 of them behind a disruption budget that is
       released after 8 s) with Invoke-NodeDrain against kubectl drain: wall time and API requests (the
       sandbox counts them). Each drains a node of its own, seeded identically just before its run.
    2. listing 5,000 pods with Get-KubePod against kubectl get pods -o json (median of 3 runs each).
    Ratios are module / kubectl; at most 1.0 is the target.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Pods = 200,
    [int] $ListPods = 5000,
    [int] $Runs = 3
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Command kubectl -ErrorAction Ignore)) { throw 'kubectl is missing (build.ps1 installs kubernetes-client).' }
Import-Module $ModulePath -Force

# A home of our own, so the bench never touches the operator's contexts or sandbox.
$benchHome = Join-Path ([IO.Path]::GetTempPath()) ('reo-bench-k8s-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $benchHome | Out-Null
$saved = @{}
foreach ($name in 'REALESTATEOPS_CONFIG_HOME', 'REALESTATEOPS_DATA_HOME', 'REALESTATEOPS_STATE_HOME', 'REALESTATEOPS_CONTEXT', 'KUBECONFIG') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
$env:REALESTATEOPS_CONFIG_HOME = Join-Path $benchHome 'config'
$env:REALESTATEOPS_DATA_HOME = Join-Path $benchHome 'data'
$env:REALESTATEOPS_STATE_HOME = Join-Path $benchHome 'state'
$env:REALESTATEOPS_CONTEXT = $null

# The sandbox's control endpoints need its control token (random for each start, in the file Get-OpsSandbox names).
function Get-ControlHeader { @{ 'X-Sandbox-Token' = (Get-Content -Raw $script:sandbox.ControlTokenFile).Trim() } }
function Get-KubeRequests([string] $Url) { [long](Invoke-RestMethod "$($Url)_sandbox/requests" -Headers (Get-ControlHeader)).services.kubernetes }
function Reset-Requests([string] $Url) { Invoke-RestMethod -Method Delete "$($Url)_sandbox/requests" -Headers (Get-ControlHeader) | Out-Null }
function Add-BenchNode([string] $Url, [string] $Node) {
    $body = @{ node = $Node; pods = $Pods; gracePeriodSeconds = 2; budgetReleaseSeconds = 8; guarded = 20 } | ConvertTo-Json
    Invoke-RestMethod -Method Post "$($Url)_sandbox/kubernetes/seed/drain" -Headers (Get-ControlHeader) -ContentType 'application/json' -Body $body | Out-Null
    # Let the kubelet emulation mark the new pods running.
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (@(Get-KubePod -AllNamespaces -Node $Node | Where-Object Status -eq Running).Count -lt $Pods) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Bench pods on $Node did not start." }
        Start-Sleep -Milliseconds 200
    }
}
function Measure-Median([scriptblock] $Action, [int] $Count) {
    $times = foreach ($i in 1..$Count) { (Measure-Command $Action).TotalMilliseconds }
    ($times | Sort-Object)[[int][math]::Floor(($Count - 1) / 2)]
}

$sandbox = $null
try {
    $sandbox = Start-OpsSandbox
    Use-OpsContext sandbox
    $url = $sandbox.Url
    $env:KUBECONFIG = $sandbox.KubeconfigPath
    $cache = Join-Path $benchHome 'kube-cache'
    & kubectl --cache-dir $cache get nodes -o name | Out-Null   # discovery cached, as an operator's kubectl has it

    # ---------------------------------------------------------------- drain
    Add-BenchNode $url 'bench-node-1.ec2.internal'
    Reset-Requests $url
    $kubectlOut = $null
    $kubectlMs = (Measure-Command {
        $script:kubectlOut = & kubectl --cache-dir $cache drain bench-node-1.ec2.internal --ignore-daemonsets --delete-emptydir-data --timeout=300s 2>&1
    }).TotalMilliseconds
    if ($LASTEXITCODE -ne 0) { throw "kubectl drain failed: $($kubectlOut | Select-Object -Last 5)" }
    $kubectlRequests = Get-KubeRequests $url

    Add-BenchNode $url 'bench-node-2.ec2.internal'
    Reset-Requests $url
    $result = $null
    $moduleMs = (Measure-Command {
        $script:result = Invoke-NodeDrain bench-node-2.ec2.internal -DeleteEmptyDirData -Timeout 5m -Confirm:$false
    }).TotalMilliseconds
    $moduleRequests = Get-KubeRequests $url
    if ($result.Status -ne 'Drained' -or $result.Evicted.Count -ne $Pods) { throw "Invoke-NodeDrain: $($result.Status), $($result.Evicted.Count) evicted" }

    [pscustomobject]@{
        Benchmark               = "Drain a node with $Pods pods (20 behind a budget released after 8 s)"
        'kubectl drain (s)'     = [math]::Round($kubectlMs / 1000, 1)
        'Invoke-NodeDrain (s)'  = [math]::Round($moduleMs / 1000, 1)
        'Wall-time ratio'       = [math]::Round($moduleMs / $kubectlMs, 3)
        'kubectl requests'      = $kubectlRequests
        'module requests'       = $moduleRequests
        'Request ratio'         = [math]::Round($moduleRequests / $kubectlRequests, 3)
        Target                  = 'both ratios <= 1.0'
        Met                     = ($moduleMs -le $kubectlMs) -and ($moduleRequests -le $kubectlRequests)
    } | Format-List | Out-Host

    # ---------------------------------------------------------------- list
    $body = @{ namespace = 'bench-list'; pods = $ListPods } | ConvertTo-Json
    Invoke-RestMethod -Method Post "$($url)_sandbox/kubernetes/seed/pods" -Headers (Get-ControlHeader) -ContentType 'application/json' -Body $body | Out-Null
    & kubectl --cache-dir $cache get pods -n bench-list -o json | Out-Null
    $count = @(Get-KubePod -Namespace bench-list).Count
    if ($count -ne $ListPods) { throw "Get-KubePod listed $count pods, not $ListPods." }
    # kubectl's JSON goes to /dev/null from a shell, so PowerShell's line reading of 5,000 pods is not counted against it.
    $kubectlList = Measure-Median { & /bin/sh -c 'kubectl --cache-dir "$1" get pods -n bench-list -o json >/dev/null' sh $cache } $Runs
    $moduleList = Measure-Median { Get-KubePod -Namespace bench-list | Out-Null } $Runs
    [pscustomobject]@{
        Benchmark                     = "List $ListPods pods"
        'kubectl get pods -o json (ms)' = [math]::Round($kubectlList)
        'Get-KubePod (ms)'            = [math]::Round($moduleList)
        Ratio                         = [math]::Round($moduleList / $kubectlList, 3)
        Target                        = '<= 1.0'
        Met                           = $moduleList -le $kubectlList
    } | Format-List | Out-Host
}
finally {
    if ($sandbox) { Stop-OpsSandbox -Confirm:$false -ErrorAction Continue }
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    $temp = [IO.Path]::GetFullPath([IO.Path]::GetTempPath())
    if ($benchHome.StartsWith($temp) -and (Split-Path $benchHome -Leaf) -like 'reo-bench-k8s-*') { Remove-Item $benchHome -Recurse -Force -ErrorAction Ignore }
}
