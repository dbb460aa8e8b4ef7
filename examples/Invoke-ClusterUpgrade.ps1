<#
.SYNOPSIS
    The Kubernetes upgrade of the EKS cluster as a scheduled job runs it in the Kubernetes maintenance window:
    check the window, run the pre-flight, upgrade (control plane, add-ons, node groups, verification), write a summary.
.DESCRIPTION
    Meant for a job that starts in the Kubernetes window (the runbook's last Saturday of the month, 01:00-05:00 UTC).
    Outside the window it does nothing and exits 2, unless -OutsideWindowReason says why it cannot wait (journaled).
    A failing pre-flight check exits 3 before any change. The upgrade itself is Invoke-EksUpgrade: every step is
    journaled, and a run that was stopped or failed is resumed by running this script again (the upgrade reads where
    the cluster stands; nothing is kept in a local file). A failed step or verification exits 1. -WhatIf shows the
    pre-flight and the plan and changes nothing (exit 0).

    Exit codes: 0 upgraded (or nothing to do, or -WhatIf), 1 the upgrade failed, 2 outside the window, 3 not ready.
.PARAMETER KubernetesVersion
    The target minor (1.33); by default the next one (or the control plane's own while node groups still trail it).
.PARAMETER SummaryPath
    Also write the summary as JSON to this file (for the job's log collector or a ticket).
.PARAMETER OutsideWindowReason
    Run outside the Kubernetes window anyway, for this reason (an incident or change id); journaled with each step.
.EXAMPLE
    ./examples/Invoke-ClusterUpgrade.ps1 -KubernetesVersion 1.33 -SummaryPath ./upgrade-summary.json
.EXAMPLE
    ./examples/Invoke-ClusterUpgrade.ps1 -WhatIf
    The pre-flight and the plan, without any change, also outside the window.
#>
#Requires -Modules RealEstateOps
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [string] $KubernetesVersion,
    [string] $ClusterName,
    [string] $Context,
    [string] $SummaryPath,
    [string] $OutsideWindowReason,
    [string] $StepTimeout = '2h',
    [string] $VerifyTimeout = '10m'
)
$ErrorActionPreference = 'Stop'
if ($Context) { Use-OpsContext $Context }
$target = @{}
if ($ClusterName) { $target.ClusterName = $ClusterName }
if ($KubernetesVersion) { $target.KubernetesVersion = $KubernetesVersion }
$started = [DateTimeOffset]::UtcNow

function Write-Summary([string] $Outcome, [int] $ExitCode, $Result, [string] $Message) {
    $summary = [ordered]@{
        Outcome = $Outcome; ExitCode = $ExitCode; Cluster = $Result.Cluster; TargetVersion = $Result.TargetVersion
        VersionBefore = $Result.VersionBefore; VersionAfter = $Result.VersionAfter; Message = $Message
        Started = $started.ToString('o'); DurationSeconds = [math]::Round(([DateTimeOffset]::UtcNow - $started).TotalSeconds, 1)
        Steps = @($Result.Steps | ForEach-Object { [ordered]@{ Number = $_.Number; Kind = "$($_.Kind)"; Name = $_.Name; Outcome = "$($_.Outcome)"; UpdateId = $_.UpdateId; VersionBefore = $_.VersionBefore; VersionAfter = $_.VersionAfter; Seconds = [math]::Round($_.Duration.TotalSeconds, 1); ErrorId = $_.ErrorId } })
    }
    $color = if ($ExitCode -eq 0) { 'Green' } else { 'Red' }
    Write-Host ("== {0}: {1}{2}" -f $Outcome, $(if ($Result.Cluster) { "$($Result.Cluster) $($Result.VersionBefore) -> $($Result.VersionAfter) (target $($Result.TargetVersion))" } else { '' }), $(if ($Message) { " - $Message" } else { '' })) -ForegroundColor $color
    if ($Result.Steps) { $Result.Steps | Format-Table -AutoSize | Out-String -Width 160 | Write-Host }
    # The summary is written also under -WhatIf: it is the report, not a change.
    if ($SummaryPath) { $summary | ConvertTo-Json -Depth 5 | Set-Content -Path $SummaryPath -Encoding utf8 -WhatIf:$false -Confirm:$false }
    $ExitCode
}

# 1. The window: a scheduled job that starts outside it does nothing (-WhatIf only shows the plan, so it goes on).
$window = Test-MaintenanceWindow -Kind Kubernetes -Detailed
Write-Host "== Kubernetes maintenance window: $($window.Summary)" -ForegroundColor Cyan
$override = @{}
if (-not $window.IsOpen -and -not $WhatIfPreference) {
    if (-not $OutsideWindowReason) { exit (Write-Summary 'OutsideWindow' 2 $null "Not inside the Kubernetes window; nothing was changed.") }
    $override = @{ IgnoreMaintenanceWindow = $true; Reason = $OutsideWindowReason }
    Write-Warning "Outside the Kubernetes window; going ahead because: $OutsideWindowReason"
}

# 2. The pre-flight: a failing check stops here, before any change.
Write-Host '== Pre-flight' -ForegroundColor Cyan
$checks = @(Test-EksUpgradeReadiness @target -ErrorAction SilentlyContinue -ErrorVariable notReady)
$checks | Where-Object Result -ne 'Pass' | Out-String -Width 160 | Write-Host
Write-Host ("{0} checks: {1} pass, {2} warn, {3} fail" -f $checks.Count, @($checks | Where-Object Result -eq 'Pass').Count, @($checks | Where-Object Result -eq 'Warn').Count, @($checks | Where-Object Result -eq 'Fail').Count)
if ($notReady -and -not $WhatIfPreference) { exit (Write-Summary 'NotReady' 3 $null $notReady[0].Exception.Message) }

# 3. The upgrade: each step journaled; stopped or failed, this script run again resumes it.
Write-Host '== Upgrade' -ForegroundColor Cyan
$result = $null
try {
    # The result is written before a failed step's error: kept as it comes, so that the summary has the steps either way.
    Invoke-EksUpgrade @target @override -Force -StepTimeout $StepTimeout -VerifyTimeout $VerifyTimeout -ErrorAction Stop | ForEach-Object { $result = $_ }
}
catch {
    $failed = $_
    exit (Write-Summary 'Failed' 1 $result "$($failed.FullyQualifiedErrorId.Split(',')[0]): $($failed.Exception.Message)")
}
if ($WhatIfPreference) { exit (Write-Summary 'WhatIf' 0 $result 'The plan; nothing was changed.') }
if ($result.Succeeded) { exit (Write-Summary 'Upgraded' 0 $result $(if ($result.Resumed) { 'Resumed an earlier run.' } else { '' })) }
exit (Write-Summary 'Failed' 1 $result (@($result.Verification.Reasons) -join '; '))
