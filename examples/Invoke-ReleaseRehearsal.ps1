<#
.SYNOPSIS
    The Deployment runbook rehearsed on the sandbox: a good release promoted by the canary, a broken one rolled back by
    it, and an Argo CD rollback to the previous tag with smoke tests and a notice to the stakeholders.
.DESCRIPTION
    1. Where things stand: the Argo CD application (Synced, Healthy) and its history with the git tags.
    2. Canary, good release: Start-Canary with a new api-service image, Step-Canary through 50% and 100%; the gates read
       Prometheus (request success rate and p95 latency of canary and stable) and the canary is promoted.
    3. Canary, broken release: the same with a ':broken' image; the checks fail and the canary is rolled back by itself.
    4. Argo CD: a broken release v1.2.0 is pushed to the platform's git repository (as the pipeline does after a merge to
       main); automated sync deploys it and the application turns Degraded. The rollback is refused while automated sync
       is on (ArgoAutoSyncEnabled), then done with -DisableAutoSync -Wait to the previous tag, the smoke tests run, and
       the stakeholders get a notice with the reason and the status (the sandbox's sink shows what arrived).

    It needs the sandbox (Start-OpsSandbox) and its context; it pushes to the sandbox's own git repository only.
    Exit codes: 0 when the canary verdicts and the rollback came out as the runbook expects, 1 otherwise.
.PARAMETER Interval
    How long each canary weight is held before its check (the sandbox's Prometheus scrapes every 2 s).
.EXAMPLE
    ./examples/Invoke-ReleaseRehearsal.ps1
#>
#Requires -Modules RealEstateOps
[CmdletBinding()]
param(
    [TimeSpan] $Interval = [TimeSpan]::FromSeconds(8)
)
$ErrorActionPreference = 'Stop'
function Show { $input | Format-Table -AutoSize | Out-String -Width 200 | Write-Host }
$exitCode = 0
$sandbox = Get-OpsSandbox
if (-not $sandbox.Responding) { throw 'No sandbox is running: start one with Start-OpsSandbox.' }
$info = Get-Content -Raw (Join-Path $sandbox.StateFolder 'sandbox-info.json') | ConvertFrom-Json
$app = $info.argocd.application

Write-Host '== Deployment: the Argo CD application and its tagged history' -ForegroundColor Cyan
Get-ArgoApplication $app | Show
Get-ArgoHistory $app | Show

# --- Canary ---------------------------------------------------------------------------------------------------------
$stableImage = (Get-KubeDeployment api-service).Images | Select-Object -First 1
$repository = $stableImage -replace ':[^:/]+$', ''
foreach ($release in @(@{ Image = "${repository}:1.9.0"; Expect = 'Promoted' }, @{ Image = "${repository}:broken"; Expect = 'RolledBack' })) {
    Write-Host "== Canary: $($release.Image) (the runbook's 10% -> 100%, here 50% and 100%, $([int]$Interval.TotalSeconds) s each)" -ForegroundColor Cyan
    # A broken canary never becomes ready: Start-Canary says so and leaves the verdict to the checks.
    Start-Canary -Deployment api-service -Image $release.Image -Timeout 20s -Force -WarningAction SilentlyContinue | Show
    $result = Step-Canary -Deployment api-service -Steps 50, 100 -Interval $Interval -FailureLimit 3 -Force -WarningAction SilentlyContinue
    $result | Show
    $color = if ($result.Verdict -eq $release.Expect) { 'Green' } else { 'Red' }
    Write-Host "verdict: $($result.Verdict) (expected $($release.Expect)); api-service runs $((Get-KubeDeployment api-service).Images -join ', ')" -ForegroundColor $color
    if ($result.Verdict -ne $release.Expect) { $exitCode = 1 }
}

# --- Argo CD rollback -------------------------------------------------------------------------------------------------
Write-Host '== Argo CD: the pipeline pushes release v1.2.0 (api-service answers 503) to main' -ForegroundColor Cyan
$scratch = Join-Path ([IO.Path]::GetTempPath()) ("reo-release-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$gitEnvironment = @{
    GIT_CONFIG_NOSYSTEM = '1'; GIT_CONFIG_GLOBAL = '/dev/null'; GIT_TERMINAL_PROMPT = '0'
    GIT_AUTHOR_NAME = 'Release Pipeline'; GIT_AUTHOR_EMAIL = 'pipeline@example.com'; GIT_COMMITTER_NAME = 'Release Pipeline'; GIT_COMMITTER_EMAIL = 'pipeline@example.com'
}
$saved = @{}
foreach ($k in $gitEnvironment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $gitEnvironment[$k]) }
try {
    & git clone --quiet $info.argocd.repository $scratch
    $file = Join-Path $scratch 'k8s/api-service-deployment.json'
    $manifest = Get-Content -Raw $file | ConvertFrom-Json -Depth 50
    $manifest.spec.template.spec.containers[0].image = "${repository}:broken"
    $manifest | ConvertTo-Json -Depth 50 | Set-Content $file
    & git -C $scratch commit --quiet -am 'Release v1.2.0'
    & git -C $scratch tag -a v1.2.0 -m 'Release v1.2.0'
    & git -C $scratch push --quiet origin main v1.2.0
    if ($LASTEXITCODE -ne 0) { throw 'git push failed' }
    $pushed = "$(& git -C $scratch rev-parse HEAD)".Trim()
}
finally {
    foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    # Only the clone this script made (a fresh random name under the temp folder).
    if ((Split-Path $scratch -Leaf) -like 'reo-release-*' -and (Test-Path (Join-Path $scratch '.git'))) { Remove-Item -LiteralPath $scratch -Recurse -Force }
}

Write-Host '== Argo CD: automated sync deploys v1.2.0, and the application degrades' -ForegroundColor Cyan
# A faster sandbox clock from here to the rollback's end: the pods' crash loop and the rollout's progress deadline take
# minutes on a cluster, seconds here. Wait-ArgoApplication fails fast (ArgoApplicationDegraded) once it degrades.
$speed = (Get-OpsSandbox).Speed
$null = Set-OpsSandboxClock -Speed 60
try {
    $deadline = (Get-Date).AddMinutes(2)   # Argo CD notices the new commit on its next poll of git
    do { $a = Get-ArgoApplication $app; if ($a.OperationRevision -eq $pushed -or $a.DeployedRevision -eq $pushed) { break }; Start-Sleep -Seconds 2 } while ((Get-Date) -lt $deadline)
    Wait-ArgoApplication $app -Timeout 5m -ErrorAction SilentlyContinue -ErrorVariable degraded | Out-Null
    $a = Get-ArgoApplication $app
    $a | Show
    if ($a.Health -ne 'Degraded') { Write-Host "v1.2.0 did not degrade the application ($($degraded[0].FullyQualifiedErrorId))." -ForegroundColor Red; $exitCode = 1 }

    Write-Host '== Argo CD: a rollback while automated sync is on is refused' -ForegroundColor Cyan
    Undo-ArgoApplication $app -Force -ErrorAction SilentlyContinue -ErrorVariable refused | Out-Null
    Write-Host "  $($refused[0].FullyQualifiedErrorId -replace ',.*', ''): $($refused[0].Exception.Message)" -ForegroundColor Yellow

    Write-Host '== Argo CD: roll back to the previous tag with automated sync off, wait, check, notify' -ForegroundColor Cyan
    $null = Invoke-RestMethod -Method Delete -Uri "$($sandbox.Url.TrimEnd('/'))/_sandbox/notifications" -Headers @{ 'X-Sandbox-Token' = (Get-Content -Raw $sandbox.ControlTokenFile).Trim() }
    $rollback = Undo-ArgoApplication $app -DisableAutoSync -Wait -Timeout 5m -Force -Notify -NotifyReason 'v1.2.0 answers 503 on every api-service request' -NotifyChannel ops-slack
    $rollback | Format-List Application, FromTag, ToTag, HistoryId, AutoSyncDisabled, Health, Sync | Out-String -Width 200 | Write-Host
    if ($rollback.Health -ne 'Healthy' -or $rollback.ToTag -ne 'v1.1.0') { $exitCode = 1 }
}
finally { $null = Set-OpsSandboxClock -Speed $speed }

Write-Host '== Smoke tests through the Kubernetes service proxy' -ForegroundColor Cyan
$smoke = Invoke-SmokeTest -CheckFile (Join-Path $PSScriptRoot 'smoke-checks.json') -ErrorAction SilentlyContinue -ErrorVariable smokeFailed
$smoke | Show
if ($smokeFailed) { Write-Host "$($smokeFailed.Count) smoke check(s) failed." -ForegroundColor Red; $exitCode = 1 }

Write-Host '== The notice the stakeholders got (the sandbox''s Slack sink)' -ForegroundColor Cyan
$received = @(Invoke-RestMethod -Uri "$($sandbox.Url.TrimEnd('/'))/_sandbox/notifications" -Headers @{ 'X-Sandbox-Token' = (Get-Content -Raw $sandbox.ControlTokenFile).Trim() })
foreach ($n in $received) { Write-Host "[$($n.channel)] $($n.body.text)" }
if ($received.Count -lt 1) { Write-Host 'No notice arrived.' -ForegroundColor Red; $exitCode = 1 }
exit $exitCode
