<#
.SYNOPSIS
    The Monitoring runbook's High Error Rate response, end to end: assess, silence while working, investigate, act,
    verify, expire the silence, document.
.DESCRIPTION
    1. Assess: Get-ServiceHealth for the platform services, and the HighErrorRate alert (Get-PromAlert), waited for up
       to -AlertTimeout when it is not firing yet.
    2. Silence it while working (New-AlertSilence, scoped to the alert and the affected services, for -SilenceFor), and
       show Alertmanager muting it (Get-AlertmanagerAlert -Silenced).
    3. Investigate (Get-AlertInvestigation): which services spiked and since when, the most recent change, the top
       error lines, the pressure, and the runbook's suggested action.
    4. Act on the suggestion: a recent rollout is rolled back (Undo-Deployment -Wait). Scale and fall-back suggestions
       are the operator's call: they are shown, not carried out, and the script ends with the silence still in place.
    5. Verify: wait until Get-ServiceHealth says the services are no longer Unhealthy and HighErrorRate no longer fires.
    6. Expire the silence (Remove-AlertSilence).
    7. Document: the journal entries of the response (the silence, the rollback, the expiry) and, with -ReportPath, an
       incident summary in Markdown for the incident management system.

    -RehearseWith rolls out a ':broken' image of one service first, as a bad deployment would (kubectl set image with
    the context's kubeconfig): the rehearsal on the sandbox, and the demo step. Never use it on a real cluster.
    -WhatIf shows the assessment and the investigation and changes nothing.

    Exit codes: 0 resolved (or nothing firing, or -WhatIf), 1 not resolved (the silence is left in place, with its id).
.PARAMETER RehearseWith
    The service to break first with a ':broken' image rollout (sandbox rehearsals only).
.PARAMETER Incident
    The incident id, in the silence's comment and the report.
.PARAMETER ReportPath
    Also write the incident summary (Markdown) to this file.
.EXAMPLE
    ./examples/Invoke-HighErrorRateResponse.ps1 -Incident INC-42 -ReportPath ./INC-42.md
.EXAMPLE
    ./examples/Invoke-HighErrorRateResponse.ps1 -RehearseWith api-service -Incident DRILL-1
    On the sandbox: a bad rollout of api-service, then the whole response.
#>
#Requires -Modules RealEstateOps
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
param(
    [string] $RehearseWith,
    [string] $Incident = "INC-$([DateTime]::UtcNow.ToString('yyyyMMdd-HHmm'))",
    [string] $ReportPath,
    [string] $Context,
    [string] $Namespace,
    [string] $SilenceFor = '30m',
    [int] $AlertTimeoutSeconds = 180,
    [int] $RecoveryTimeoutSeconds = 240
)
$ErrorActionPreference = 'Stop'
if ($Context) { Use-OpsContext $Context }
if (-not $Namespace) { $Namespace = (Get-OpsContext).Namespace }
$started = [DateTimeOffset]::UtcNow
function Show { $input | Format-Table -AutoSize | Out-String -Width 160 | Write-Host }
function Step([string] $Text) { Write-Host "== $Text" -ForegroundColor Cyan }
function Wait-Until([scriptblock] $Probe, [int] $Seconds) {
    $until = [DateTime]::UtcNow.AddSeconds($Seconds)
    do {
        $value = & $Probe
        if ($value) { return $value }
        Start-Sleep -Seconds 2
    } while ([DateTime]::UtcNow -lt $until)
    $value
}

# 0. The rehearsal's bad deployment: a new revision whose image answers 503 and crashes.
if ($RehearseWith) {
    $current = Get-RolloutHistory $RehearseWith -Namespace $Namespace | Where-Object IsCurrent
    $image = ($current.Images | Select-Object -First 1) -replace ':[^:/]+$', ':broken'
    Step "Rehearsal: rolling out $image to $RehearseWith (a bad deployment)"
    if ($PSCmdlet.ShouldProcess("deployment/$RehearseWith", "Roll out $image (rehearsal)")) {
        $env:KUBECONFIG = (Get-OpsContext).KubeconfigPath
        try { & kubectl set image "deployment/$RehearseWith" "*=$image" -n $Namespace | Out-Host } finally { $env:KUBECONFIG = $null }
        if ($LASTEXITCODE -ne 0) { throw "kubectl set image failed ($LASTEXITCODE)." }
    }
}

# 1. Assess: the services' health and the alert.
Step 'Assess: service health'
Get-ServiceHealth -Namespace $Namespace | Show
Step "Assess: waiting for HighErrorRate (up to $AlertTimeoutSeconds s)"
$firing = Wait-Until { @(Get-PromAlert HighErrorRate -State Firing | Where-Object Namespace -eq $Namespace) } $(if ($WhatIfPreference -and -not $RehearseWith) { 0 } else { $AlertTimeoutSeconds })
if (-not $firing) {
    Write-Host 'HighErrorRate is not firing: nothing to respond to.' -ForegroundColor Green
    exit 0
}
$services = @($firing.Service | Sort-Object -Unique)
$firing | Show
Get-ServiceHealth $services -Namespace $Namespace | Format-List Service, Verdict, ErrorRatePercent, RequestRate, LatencyP95Ms, Reason | Out-String -Width 160 | Write-Host

# 2. Silence it while working on it, so that it does not page again.
Step "Silence HighErrorRate for $($services -join ', ') while working ($SilenceFor)"
$matcher = if ($services.Count -eq 1) { "service=$($services[0])" } else { "service=~`"$($services -join '|')`"" }
$silence = New-AlertSilence -Matcher alertname=HighErrorRate, "namespace=$Namespace", $matcher -Duration $SilenceFor -Comment "${Incident}: High Error Rate response in progress"
$silence | Show
if ($silence) {
    $muted = Wait-Until { @(Get-AlertmanagerAlert -Name HighErrorRate -Silenced | Where-Object { $_.SilencedBy -contains $silence.Id }) } 30
    Write-Host "Alertmanager mutes $(@($muted).Count) HighErrorRate alert(s) with silence $($silence.Id)."
}

# 3. Investigate.
Step 'Investigate: spikes, changes, error lines, pressure, suggested action'
$firstActive = @($firing.ActiveAt | Where-Object { $_ } | Sort-Object) | Select-Object -First 1
$since = if ($firstActive) { [DateTimeOffset]::UtcNow - $firstActive + [TimeSpan]::FromMinutes(15) } else { [TimeSpan]::FromMinutes(30) }
$investigation = Get-AlertInvestigation -Alert HighErrorRate -Namespace $Namespace -Since $since
$investigation.Spikes | Show
Write-Host 'Most recent change:' -NoNewline; $investigation.MostRecentChange | Show
$investigation.ErrorLines | Show
$investigation.Pressure | Where-Object { $_.UnderPressure -and ($_.Scope -eq 'Node' -or $_.Service -in $services) } | Show
Write-Host "Argo CD: $($investigation.ArgoCd)"
$suggestion = $investigation.Suggestion
Write-Host "Suggested action: $($suggestion.Kind) - $($suggestion.Reason)" -ForegroundColor Yellow
if ($suggestion.Command) { Write-Host "  $($suggestion.Command)" -ForegroundColor Yellow }

# 4. Act: roll back the recent change; other actions are the operator's call.
$resolved = $false
if ($suggestion.Kind -eq 'RollBack') {
    $change = $investigation.MostRecentChange
    Step "Act: roll back $($change.Target) (revision $($change.Revision))"
    Undo-Deployment $change.Target -Namespace $change.Namespace -Wait -Confirm:$false | Show
} elseif ($suggestion.Kind -ne 'None') {
    Write-Host "Act: $($suggestion.Kind) is the operator's call; run the command above. The silence stays until it expires or is removed." -ForegroundColor Yellow
}

# 5. Verify: healthy again and the alert resolved.
if ($WhatIfPreference) {
    Write-Host 'What if: nothing was changed; the rest of the response (verify, expire the silence) would follow.'
    exit 0
}
if ($suggestion.Kind -eq 'RollBack') {
    Step "Verify: waiting until $($services -join ', ') are healthy and HighErrorRate resolves (up to $RecoveryTimeoutSeconds s)"
    $resolved = [bool](Wait-Until {
        $health = @(Get-ServiceHealth $services -Namespace $Namespace)
        $stillFiring = @(Get-PromAlert HighErrorRate | Where-Object { $_.Namespace -eq $Namespace -and $_.Service -in $services })
        ($health | Where-Object Verdict -eq 'Unhealthy').Count -eq 0 -and $stillFiring.Count -eq 0
    } $RecoveryTimeoutSeconds)
    Get-ServiceHealth $services -Namespace $Namespace | Show
}

# 6. Expire the silence once resolved; left in place (with its end time) when not.
if ($resolved -and $silence) {
    Step 'Expire the silence'
    Remove-AlertSilence -Id $silence.Id -PassThru -Confirm:$false | Show
} elseif ($silence) {
    Write-Host "Not resolved: the silence $($silence.Id) stays until $($silence.EndsAt.ToString('u')); expire it with Remove-AlertSilence -Id $($silence.Id)." -ForegroundColor Red
}

# 7. Document: what the response did, from the journal, and the incident summary.
Step 'Document: the journal of the response'
$journal = Get-OpsJournal -After $started.UtcDateTime | Where-Object Outcome -ne 'WhatIf'
$journal | Show
if ($ReportPath) {
    $lines = @(
        "# $Incident - High Error Rate"
        ''
        "- Detected: $(if ($firstActive) { $firstActive.ToString('u') } else { 'unknown' }) ($($services -join ', ') in $Namespace)"
        "- Resolved: $(if ($resolved) { [DateTimeOffset]::UtcNow.ToString('u') } else { 'no' })"
        "- Most recent change: $(if ($investigation.MostRecentChange) { "$($investigation.MostRecentChange.Target) $($investigation.MostRecentChange.Summary) at $($investigation.MostRecentChange.Time.ToString('u'))" } else { 'none found' })"
        "- Action: $($suggestion.Kind) - $($suggestion.Reason)"
        ''
        '## Spikes'
        ($investigation.Spikes | ForEach-Object { "- $_" })
        ''
        '## Top error lines'
        ($investigation.ErrorLines | ForEach-Object { "- $($_.Count) x $($_.Service): $($_.Pattern)" })
        ''
        '## Timeline (journal)'
        ($journal | ForEach-Object { "- $($_.Timestamp.ToString('u')) $($_.Command) $($_.Target): $($_.Action) ($($_.Outcome))" })
        ''
        '## Follow-up'
        '- Post-mortem if necessary; preventive measures.'
    )
    $lines | Set-Content -Path $ReportPath -Encoding utf8 -WhatIf:$false -Confirm:$false
    Write-Host "Incident summary: $ReportPath"
}
if ($resolved) { Write-Host 'Resolved.' -ForegroundColor Green; exit 0 }
Write-Host 'Not resolved.' -ForegroundColor Red
exit 1
