<#
.SYNOPSIS
    The Incident Response runbook rehearsed on the sandbox, from symptom to post-mortem: database connections exhausted.
.DESCRIPTION
    1. A fault holds every ordinary connection slot of the platform database (as a leaking api-service would): the app's
       credentials no longer log in (Test-DbConnectionSecret says DbTooManyConnections).
    2. An incident is opened at SEV2 (response within 30 minutes, updates every 2 hours); with a PagerDuty channel in the
       context it pages, with the incident id as dedup key. Stakeholders get a first update.
    3. Invoke-IncidentTriage -Symptom DatabaseConnection runs the runbook's investigation steps (instance status, pg_isready
       from an api-service pod, the app's login, the DB log, connections against max_connections, security groups and
       subnets, recent changes), attaches each as a finding, and names the resolution: the connection limit.
    4. The resolution: Set-DbParameter raises max_connections (pending a reboot), Restart-DbInstance -Wait applies it
       (outside the Database window, with the incident as the reason); the app's login works again.
    5. The incident is mitigated, resolved and closed, and Export-PostMortem writes the post-mortem whose timeline lists
       every step with who and when (the notes, and the journal entries that carry the incident's id).

    It needs the sandbox (Start-OpsSandbox) with a PostgreSQL server of its own (not REALESTATEOPS_SANDBOX_PG: the fault
    fills the server and the reboot restarts it), and its context. It writes only to the sandbox and to a new folder under
    the temp folder for the post-mortem (-OutputFolder to keep it elsewhere).
    Exit codes: 0 when the triage found the connection limit, the fix restored the app's login and the post-mortem lists
    the steps; 1 otherwise.
.PARAMETER OutputFolder
    Where the post-mortem is written (made 0700 when missing). By default a new folder under the temp folder, readable by you
    alone and kept so that you can read the post-mortem; its path is printed at the end.
.EXAMPLE
    ./examples/Invoke-IncidentRehearsal.ps1
#>
#Requires -Modules RealEstateOps
[CmdletBinding()]
param(
    [string] $OutputFolder
)
$ErrorActionPreference = 'Stop'
function Show { $input | Format-List | Out-String -Width 160 | Write-Host }
function Check([bool] $ok, [string] $what) {
    Write-Host "$(if ($ok) { 'ok  ' } else { 'FAIL' }) $what" -ForegroundColor $(if ($ok) { 'Green' } else { 'Red' })
    if (-not $ok) { $script:exitCode = 1 }
}
$script:exitCode = 0
$sandbox = Get-OpsSandbox
if (-not $sandbox.Responding) { throw 'No sandbox is running: start one with Start-OpsSandbox.' }
$info = Get-Content -Raw (Join-Path $sandbox.StateFolder 'sandbox-info.json') | ConvertFrom-Json
if (-not $info.database.ownServer) { throw 'This sandbox uses an external PostgreSQL server (REALESTATEOPS_SANDBOX_PG): the rehearsal fills and restarts the server, so it runs only on a sandbox with a server of its own.' }
$control = @{ Authorization = 'Bearer ' + (Get-Content -Raw $sandbox.ControlTokenFile).Trim() }
$faultUrl = $sandbox.Url.TrimEnd('/') + '/_sandbox/faults/db-connections'
$speed = $sandbox.Speed
$null = Set-OpsSandboxClock -Speed 60   # the reboot takes seconds, not minutes
try {
    # --- 1. The symptom ---------------------------------------------------------------------------------------------
    Write-Host '== Symptom: api-service cannot get a database connection' -ForegroundColor Cyan
    $fault = Invoke-RestMethod -Method Post -Uri $faultUrl -Headers $control -ContentType 'application/json' -Body '{"application":"api-service","count":"fill"}' -TimeoutSec 120
    Write-Host "(fault: $($fault.held) idle connections held as api-service; max_connections $($fault.maxConnections), $($fault.reservedForSuperuser) reserved)"
    $login = Test-DbConnectionSecret
    $login | Format-Table Secret, User, ConnectedTo, Succeeded, ErrorId -AutoSize | Out-String -Width 160 | Write-Host
    Check (-not $login.Succeeded) "the app's credentials no longer log in ($($login.ErrorId))"

    # --- 2. Detect and report ---------------------------------------------------------------------------------------
    Write-Host '== Incident: SEV2, the database component' -ForegroundColor Cyan
    $incident = New-Incident -Severity SEV2 -Title 'api-service cannot connect to the database' -Component database -Commander ([Environment]::UserName) `
        -Impact 'Property search and proposals fail for all users' -Confirm:$false
    $incident | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
    $id = $incident.Id
    Add-IncidentNote -Text 'Investigating database connection failures of api-service' -Kind StakeholderUpdate -Notify -NotifyChannel ops-slack -Confirm:$false | Out-Null

    # --- 3. Triage --------------------------------------------------------------------------------------------------
    Write-Host '== Triage: the runbook''s investigation steps' -ForegroundColor Cyan
    $triage = Invoke-IncidentTriage -Symptom DatabaseConnection -Confirm:$false
    $triage.Evidence | Format-Table -Wrap | Out-String -Width 160 | Write-Host
    $triage.Resolution | Show
    Check ($triage.Resolution.Cause -eq 'ConnectionLimit') "triage found the connection limit (cause: $($triage.Resolution.Cause))"
    Check ($triage.NotesAttached -eq $triage.Evidence.Count + 1) "$($triage.NotesAttached) findings attached to $id"
    Set-Incident -Status Identified -Confirm:$false | Out-Null

    # --- 4. Mitigate ------------------------------------------------------------------------------------------------
    Write-Host '== Resolution: raise max_connections and reboot' -ForegroundColor Cyan
    $current = [int](Get-DbParameter max_connections).Value
    $raised = $current * 2
    Set-DbParameter -Name max_connections -Value $raised -ApplyMethod pending-reboot -Confirm:$false -WarningAction SilentlyContinue |
        Format-Table -AutoSize | Out-String -Width 160 | Write-Host
    $instance = Restart-DbInstance -Wait -IgnoreMaintenanceWindow -Reason "$id SEV2: database connections exhausted" -Confirm:$false -WarningAction SilentlyContinue
    Write-Host "instance: $($instance.Status), parameters $($instance.ParameterApplyStatus)"
    Add-IncidentNote -Text "max_connections $current -> $raised, instance rebooted" -Kind Action -Confirm:$false | Out-Null
    Set-Incident -Status Mitigated -Confirm:$false | Out-Null

    # --- 5. Verify, resolve, review ---------------------------------------------------------------------------------
    Write-Host '== Verify: the app logs in again' -ForegroundColor Cyan
    $login = Test-DbConnectionSecret
    Check $login.Succeeded "the app's credentials log in again"
    $activity = Get-DbActivity
    Check ($activity.MaxConnections -eq $raised) "max_connections is $($activity.MaxConnections) (expected $raised)"
    Add-IncidentNote -Text "Resolved: the app logs in; $($activity.InUse) of $($activity.MaxConnections) connections in use" -Kind StakeholderUpdate -Notify -NotifyChannel ops-slack -Confirm:$false | Out-Null
    Set-Incident -Status Resolved -Confirm:$false | Out-Null
    Close-Incident -Confirm:$false | Out-Null
    Get-Incident -Id $id | Format-Table -AutoSize | Out-String -Width 160 | Write-Host

    Write-Host '== Post-mortem' -ForegroundColor Cyan
    if (-not $OutputFolder) { $OutputFolder = Join-Path ([IO.Path]::GetTempPath()) ('reo-postmortem-' + [Guid]::NewGuid().ToString('N').Substring(0, 8)) }
    if (-not (Test-Path -LiteralPath $OutputFolder)) {
        # The post-mortem holds the incident's details: a folder made here is the operator's alone (0700) from the start.
        if ($IsWindows) { $null = New-Item -ItemType Directory -Path $OutputFolder }
        else { $null = [IO.Directory]::CreateDirectory($OutputFolder, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute') }
    }
    $postMortem = Export-PostMortem -Id $id -Path (Join-Path $OutputFolder "$id.md")
    $postMortem | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
    $markdown = Get-Content -Raw $postMortem.Path
    $timeline = ($markdown -split '(?m)^## ' | Where-Object { $_ -like 'Timeline*' }) -join ''
    Write-Host $timeline
    foreach ($step in 'New-Incident', 'Invoke-IncidentTriage', 'Set-DbParameter', 'Restart-DbInstance', 'Resolved -> Closed') {
        Check ($timeline -match [regex]::Escape($step)) "the timeline lists $step"
    }
    $me = [Environment]::UserName
    Check ($timeline -match [regex]::Escape($me)) "the timeline says who ($me)"
    Write-Host "post-mortem: $($postMortem.Path)"
}
finally {
    Invoke-RestMethod -Method Delete -Uri $faultUrl -Headers $control -TimeoutSec 60 | Out-Null
    $null = Set-OpsSandboxClock -Speed $speed
}
exit $script:exitCode
