<#
.SYNOPSIS
    The demo that build.ps1 -Task Demo runs: start the sandbox, run the platform check against it, stop it.
.EXAMPLE
    dotnet pwsh -NoProfile -File examples/Invoke-Demo.ps1 -ModulePath out/RealEstateOps/RealEstateOps.psd1
.EXAMPLE
    pwsh -NoProfile -File ./Invoke-Demo.ps1     # the installed module (build.ps1 -Task Install), from any directory
#>
param(
    # The module to import; by default the installed RealEstateOps, else the repository's build (out/).
    [string] $ModulePath
)
$ErrorActionPreference = 'Stop'
if ($ModulePath) { Import-Module $ModulePath }
elseif (Get-Module RealEstateOps -ListAvailable) { Import-Module RealEstateOps }
else { Import-Module (Join-Path $PSScriptRoot '../out/RealEstateOps/RealEstateOps.psd1') }
function Show { $input | Format-Table -AutoSize | Out-String -Width 200 | Write-Host }

Write-Host '== Starting the sandbox' -ForegroundColor Cyan
if (Get-OpsSandbox | Where-Object Responding) { Stop-OpsSandbox -Confirm:$false }
Start-OpsSandbox | Show
$exitCode = 0
try {
    Use-OpsContext sandbox
    & (Join-Path $PSScriptRoot 'Test-Platform.ps1')
    $exitCode = $LASTEXITCODE

    # S3 recovery: delete documents, restore them, show they are back.
    Write-Host '== S3: deleting the documents of prop-0005 (aws s3 rm)' -ForegroundColor Cyan
    $sandbox = Get-OpsSandbox
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $sandbox.StateFolder 'aws-credentials'
    & /usr/bin/aws --profile sandbox --region us-east-1 --endpoint-url $sandbox.Url s3 rm --recursive s3://real-estate-ai-assets/properties/prop-0005/documents/ | Out-Host
    Write-Host '== S3: what was deleted in the last hour' -ForegroundColor Cyan
    $deleted = Get-S3ObjectVersion -Prefix properties/prop-0005/ -Deleted | Where-Object LastModified -gt (Get-Date).AddHours(-1)
    $deleted | Show
    Write-Host '== S3: restoring them (delete markers removed, nothing copied)' -ForegroundColor Cyan
    $deleted | Restore-S3Object -Force | Show
    Write-Host '== S3: the documents are back' -ForegroundColor Cyan
    & /usr/bin/aws --profile sandbox --region us-east-1 --endpoint-url $sandbox.Url s3 ls --recursive s3://real-estate-ai-assets/properties/prop-0005/documents/ | Out-Host
    if (@(Get-S3ObjectVersion -Prefix properties/prop-0005/ -Deleted).Count -ne 0) { $exitCode = 1 }
    Write-Host '== S3: protection of the platform buckets' -ForegroundColor Cyan
    'real-estate-ai-assets', 'real-estate-ai-backups', 'real-estate-ai-assets-dr' | Test-S3BucketProtection | Show

    # Node maintenance - a drain that a disruption budget holds up until the pod's replacement is ready elsewhere
    Write-Host '== Node maintenance: drain a node (the api-service disruption budget blocks, then lets go)' -ForegroundColor Cyan
    $node = (Get-KubePod -Selector app=api-service | Group-Object Node | Sort-Object Count -Descending | Select-Object -First 1).Name
    Get-KubePod -Node $node -AllNamespaces | Show
    Invoke-NodeDrain $node -DeleteEmptyDirData -WhatIf | Format-List Node, Status, Evicted, Skipped, BlockingBudgets | Out-String -Width 200 | Write-Host
    $drain = Invoke-NodeDrain $node -DeleteEmptyDirData -Confirm:$false -Verbose 4>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -match 'evict|budget|cordon|drained') { Write-Host "  $($_.Message)" } } else { $_ }
    }
    $drain | Show
    Enable-NodeScheduling $node -Confirm:$false | Show
    Test-Deployment | Show

    # EKS upgrade: the pre-flight, then the whole upgrade to the next minor on a fast sandbox clock (seconds, not an hour).
    Write-Host '== EKS upgrade: pre-flight (what needs attention before 1.32 -> 1.33)' -ForegroundColor Cyan
    Test-EksUpgradeReadiness -ErrorAction SilentlyContinue | Where-Object Result -ne 'Pass' | Out-String -Width 200 | Write-Host
    Write-Host '== EKS upgrade: control plane, add-ons, node groups one at a time, verification (Invoke-EksUpgrade)' -ForegroundColor Cyan
    $null = Set-OpsSandboxClock -Speed 300
    $upgrade = Invoke-EksUpgrade -Force -WarningAction SilentlyContinue
    $null = Set-OpsSandboxClock -Speed 1
    $upgrade | Out-String -Width 200 | Write-Host
    Get-KubeNode | Select-Object Name, Status, Version, NodeGroup | Show   # the sandbox clock ran ahead for the upgrade: no AGE
    if (-not $upgrade.Succeeded) { Write-Host 'The upgrade did not verify.' -ForegroundColor Red; $exitCode = 1 }

    # Monitoring: the High Error Rate response on the sandbox's real Prometheus and Alertmanager: a bad rollout of
    # api-service, the alert fires, it is silenced, investigated, rolled back, verified, the silence expired, documented.
    if ((Get-OpsSandbox).AlertmanagerUrl) {
        Write-Host '== Monitoring: the High Error Rate response (a bad api-service rollout, end to end)' -ForegroundColor Cyan
        & (Join-Path $PSScriptRoot 'Invoke-HighErrorRateResponse.ps1') -RehearseWith api-service -Incident DEMO-1
        if ($LASTEXITCODE -ne 0) { Write-Host 'The High Error Rate response did not resolve.' -ForegroundColor Red; $exitCode = 1 }
    } else {
        Write-Host '== Monitoring: skipped (the sandbox runs without Prometheus and Alertmanager)' -ForegroundColor Yellow
    }

    # Deployment: a good release promoted by the canary, a broken one rolled back by it, and an Argo CD rollback to the
    # previous tag with smoke tests and a notice (the canary's gates read the sandbox's real Prometheus).
    if ((Get-OpsSandbox).AlertmanagerUrl) {
        Write-Host '== Deployment: canary releases, then an Argo CD rollback with smoke tests and a notice' -ForegroundColor Cyan
        & (Join-Path $PSScriptRoot 'Invoke-ReleaseRehearsal.ps1')
        if ($LASTEXITCODE -ne 0) { Write-Host 'The release rehearsal did not end as the runbook expects.' -ForegroundColor Red; $exitCode = 1 }
    } else {
        Write-Host '== Deployment: skipped (the sandbox runs without Prometheus, which the canary reads)' -ForegroundColor Yellow
    }

    # Incident response: database connections exhausted, from symptom to post-mortem (SEV2 incident, triage, fix, review).
    Write-Host '== Incident response: exhausted database connections, SEV2, triage, fix, post-mortem' -ForegroundColor Cyan
    # The post-mortem goes into the demo's own data folder (build.ps1 removes it with the rest), not a folder left in temp.
    $rehearsal = @{}
    if ($env:REALESTATEOPS_DATA_HOME) { $rehearsal.OutputFolder = Join-Path $env:REALESTATEOPS_DATA_HOME 'postmortems' }
    & (Join-Path $PSScriptRoot 'Invoke-IncidentRehearsal.ps1') @rehearsal
    if ($LASTEXITCODE -ne 0) { Write-Host 'The incident rehearsal did not end as the runbook expects.' -ForegroundColor Red; $exitCode = 1 }

    # Database backup and recovery: snapshot, an accidental delete, restore, the rows are back.
    Write-Host '== Backup and recovery: snapshot, delete rows, restore to a new instance' -ForegroundColor Cyan
    $ctx = Get-OpsContext
    $env:PGPASSFILE = $ctx.DbPassFile   # psql takes the password from the sandbox's password file
    function Get-ProposalCount([string] $Database) {
        "$(& psql -X -w -A -t -h $ctx.DbHost -p $ctx.DbPort -U $ctx.DbUser -d $Database -c 'select count(*) from proposals')".Trim()
    }
    $before = Get-ProposalCount $ctx.DbName
    Write-Host "proposals in $($ctx.DbInstanceId): $before"
    # A faster sandbox clock for this step only: a restore that takes minutes on AWS takes seconds here.
    $null = Set-OpsSandboxClock -Speed 120
    $snapshot = New-DbSnapshot -SnapshotId demo-before-delete -Wait
    $snapshot | Show
    $deletedAt = (Set-OpsSandboxClock -Speed 120).SandboxTime   # the sandbox's own time: its clock runs ahead of this machine's
    & psql -X -w -q -h $ctx.DbHost -p $ctx.DbPort -U $ctx.DbUser -d $ctx.DbName -c 'delete from proposals'
    Write-Host "after an accidental 'delete from proposals': $(Get-ProposalCount $ctx.DbName)" -ForegroundColor Yellow
    $restored = $snapshot | Restore-Database -TargetInstanceId real-estate-ai-db-demo-restore -Wait -Force
    $restored | Show
    $after = Get-ProposalCount $restored.DbName
    Write-Host "proposals in the restored instance $($restored.DbInstanceId): $after" -ForegroundColor Green
    if ($after -ne $before) { Write-Host 'The restored rows do not match.' -ForegroundColor Red; $exitCode = 1 }

    # Point-in-time recovery: the same delete undone from the transaction logs (the sandbox's real WAL), no snapshot needed.
    Write-Host '== Point-in-time recovery: back to a minute before the delete' -ForegroundColor Cyan
    $deadline = (Get-Date).AddMinutes(2)
    while ((Get-DbInstance $ctx.DbInstanceId).LatestRestorableTime -lt $deletedAt -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 500 }
    Get-DbInstance $ctx.DbInstanceId | Format-Table -View DbInstanceBackup | Out-String -Width 200 | Write-Host
    $pitr = Restore-Database -ToTime $deletedAt.AddMinutes(-1).UtcDateTime -TargetInstanceId real-estate-ai-db-demo-pitr -Wait -Force
    $pitrCount = Get-ProposalCount $pitr.DbName
    Write-Host "proposals in $($pitr.DbInstanceId), as of $($deletedAt.AddMinutes(-1).UtcDateTime.ToString('u')): $pitrCount" -ForegroundColor Green
    if ($pitrCount -ne $before) { Write-Host 'The point-in-time restore does not hold the deleted rows.' -ForegroundColor Red; $exitCode = 1 }
    $null = Set-OpsSandboxClock -Speed 1

    # The runbook's backup policy checked, and backups proved by restoring them (a snapshot drill and a parallel export's).
    Write-Host '== Backup policy and restore drills' -ForegroundColor Cyan
    $policy = Test-DbBackupPolicy
    $policy.Checks | Show
    if (-not $policy.Passed) { Write-Host 'The backups do not meet the policy.' -ForegroundColor Red; $exitCode = 1 }
    $null = Set-OpsSandboxClock -Speed 120
    $drills = @(Test-DbBackup -Timeout 10m) + @(Export-Database s3://real-estate-ai-backups/demo/weekly -Jobs 2 -Overwrite | Test-DbBackup)
    $null = Set-OpsSandboxClock -Speed 1
    $drills | Show
    $drills[-1].Tables | Show
    if (@($drills | Where-Object { -not $_.Passed }).Count) { Write-Host 'A restore drill failed.' -ForegroundColor Red; $exitCode = 1 }

    Write-Host '== Database health' -ForegroundColor Cyan
    Get-DbHealth | Out-String -Width 200 | Write-Host
    Get-DbHealth -Findings | Where-Object Verdict -ne 'Ok' | Show

    Write-Host '== Journal of this demo' -ForegroundColor Cyan
    Get-OpsJournal -Within 10m -Newest 5 | Show
}
finally {
    Write-Host '== Stopping the sandbox' -ForegroundColor Cyan
    Stop-OpsSandbox -Confirm:$false
}
exit $exitCode
