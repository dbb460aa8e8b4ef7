<#
.SYNOPSIS
    The recovery runbook: latest snapshot, restore to a new instance, wait, verify with a login and row counts.
.DESCRIPTION
    1. Get-DbSnapshot -Latest (or -SnapshotId): the snapshot to restore.
    2. Restore-Database: a new instance (-TargetInstanceId, by default <instance>-restored) with the source
       instance's subnet group, security groups, parameter group and class, waited for until available.
    3. Test-DbConnection: the new endpoint accepts a login (its Address and Port bind from the instance).
    4. Row counts of the platform tables, source against restored (psql with the context's password file).
    5. With -AppCredential: point the application at the new endpoint (Set-DbConnectionSecret updates the
       db-credentials secret; Restart-Deployment restarts api-service and auth-service and waits). Without it,
       the script says what that step would do.
    Exits 1 when a step failed.
.EXAMPLE
    ./examples/Restore-Database.ps1 -Context prod -TargetInstanceId real-estate-ai-db-restored
.EXAMPLE
    ./examples/Restore-Database.ps1 -SnapshotId manual-backup-20261128 -Force
.EXAMPLE
    ./examples/Restore-Database.ps1 -Force -AppCredential (Get-Credential real_estate_app)
#>
#Requires -Modules RealEstateOps
[CmdletBinding()]
param(
    [string] $Context,
    # The instance whose snapshot to restore; by default the context's DbInstanceId.
    [string] $DbInstanceId,
    # The snapshot; by default the latest available one of the instance.
    [string] $SnapshotId,
    # The new instance's name; by default <instance>-restored.
    [string] $TargetInstanceId,
    # How long to wait for the new instance (restored instances can stay in backing-up for hours).
    [string] $Timeout = '3h',
    # The tables whose rows to count.
    [string[]] $Table = @('properties', 'listings', 'proposals', 'chat_sessions', 'property_embeddings'),
    # The application's database login: when given, the db-credentials secret is pointed at the new instance
    # and the deployments that use it are restarted.
    [pscredential] $AppCredential,
    # The deployments to restart after the secret changed.
    [string[]] $Deployment = @('api-service', 'auth-service'),
    # Restore (and update the secret) without asking for confirmation.
    [switch] $Force
)
$ErrorActionPreference = 'Stop'
if ($Context) { Use-OpsContext -Name $Context }
$ctx = Get-OpsContext
if (-not $DbInstanceId) { $DbInstanceId = $ctx.DbInstanceId }
if (-not $TargetInstanceId) { $TargetInstanceId = "$DbInstanceId-restored" }

# Row counts through psql; the password comes from the context's password file (PGPASSFILE), never the command line.
function Get-RowCount($Instance, [string] $User) {
    $env:PGPASSFILE = $ctx.DbPassFile
    $counts = [ordered]@{}
    foreach ($t in $Table) {
        $n = & psql -X -w -A -t -h $Instance.Address -p $Instance.Port -U $User -d $Instance.DbName -c "select count(*) from $t"
        if ($LASTEXITCODE -ne 0) { throw "psql could not count $t on $($Instance.DbInstanceId)." }
        $counts[$t] = [long]("$n".Trim())
    }
    $counts
}

try {
    Write-Host "1. Snapshot to restore" -ForegroundColor Cyan
    $snapshot = if ($SnapshotId) { Get-DbSnapshot $SnapshotId } else { Get-DbSnapshot -DbInstanceId $DbInstanceId -Latest }
    $snapshot | Format-Table -AutoSize | Out-Host

    Write-Host "2. Restore to $TargetInstanceId and wait" -ForegroundColor Cyan
    $restored = $snapshot | Restore-Database -TargetInstanceId $TargetInstanceId -Wait -Timeout $Timeout -Force:$Force
    $restored | Format-Table -AutoSize | Out-Host

    Write-Host "3. Verify a login on the new endpoint" -ForegroundColor Cyan
    $login = $restored | Test-DbConnection -ErrorAction SilentlyContinue
    $login | Format-Table -AutoSize | Out-Host
    if (-not $login.IsReady) { throw "The restored instance does not accept a login: $($login.ErrorId) $($login.Error)" }

    Write-Host "4. Row counts, source and restored" -ForegroundColor Cyan
    $source = Get-DbInstance $DbInstanceId
    $user = if ($ctx.DbUser) { $ctx.DbUser } else { $restored.MasterUsername }
    $before = Get-RowCount $source $user
    $after = Get-RowCount $restored $user
    $rows = foreach ($t in $Table) { [pscustomobject]@{ Table = $t; Source = $before[$t]; Restored = $after[$t] } }
    $rows | Format-Table -AutoSize | Out-Host

    if ($AppCredential) {
        Write-Host "5. Point the application at $($restored.Address):$($restored.Port)" -ForegroundColor Cyan
        $restored | Set-DbConnectionSecret -Database $restored.DbName -Credential $AppCredential -Force:$Force
        Restart-Deployment $Deployment -Wait -Force:$Force | Format-Table -AutoSize | Out-Host
    }
}
catch {
    Write-Host "RESTORE FAILED: $($_.FullyQualifiedErrorId): $($_.Exception.Message)" -ForegroundColor Red
    exit 1
}
Write-Host ("RESTORED: {0} from {1} at {2}:{3}/{4}" -f $restored.DbInstanceId, $snapshot.SnapshotId, $restored.Address, $restored.Port, $restored.DbName) -ForegroundColor Green
foreach ($r in $rows) { Write-Host ("ROWS {0}: {1}" -f $r.Table, $r.Restored) }
if (-not $AppCredential) {
    Write-Host "5. Next: point the application at $($restored.Address):$($restored.Port): rerun with -AppCredential, or" -ForegroundColor Cyan
    Write-Host "   Get-DbInstance $($restored.DbInstanceId) | Set-DbConnectionSecret -Database $($restored.DbName) -Credential (Get-Credential); Restart-Deployment $($Deployment -join ', ') -Wait"
}
else { Write-Host "APPLICATION POINTED AT $($restored.DbInstanceId)" -ForegroundColor Green }
exit 0
