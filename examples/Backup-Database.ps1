<#
.SYNOPSIS
    The runbook's manual backup procedure: a manual RDS snapshot, then a pg_dump export to the backups bucket.
.DESCRIPTION
    1. New-DbSnapshot: the manual snapshot manual-backup-yyyyMMdd of the platform database (or -SnapshotId),
       waited for until it is available.
    2. Get-DbSnapshot: verify it, as the runbook's "describe-db-snapshots" step.
    3. Export-Database: pg_dump -Fc of the database streamed straight into s3://<backups bucket>/backup-yyyyMMdd.dump
       (a multipart upload, no temporary file), tagged with its source and time; skipped with -SkipExport.
    Every step is journaled (Get-OpsJournal). Exits 1 when a step failed.
.EXAMPLE
    ./examples/Backup-Database.ps1 -Context prod
.EXAMPLE
    ./examples/Backup-Database.ps1 -SnapshotId pre-migration-20261128 -SkipExport
#>
#Requires -Modules RealEstateOps
[CmdletBinding()]
param(
    # The context to use; by default the active one.
    [string] $Context,
    # The DB instance; by default the context's DbInstanceId.
    [string] $DbInstanceId,
    # The snapshot's name; by default manual-backup-yyyyMMdd (UTC).
    [string] $SnapshotId,
    # The bucket for the export; by default the context's BackupsBucket.
    [string] $Bucket,
    # The export's object key; by default backup-yyyyMMdd.dump.
    [string] $Key = "backup-$((Get-Date).ToUniversalTime().ToString('yyyyMMdd')).dump",
    # How long to wait for the snapshot.
    [string] $Timeout = '1h',
    # Only the snapshot, no pg_dump export.
    [switch] $SkipExport
)
$ErrorActionPreference = 'Stop'
if ($Context) { Use-OpsContext -Name $Context }
$ctx = Get-OpsContext
if (-not $DbInstanceId) { $DbInstanceId = $ctx.DbInstanceId }
if (-not $Bucket) { $Bucket = $ctx.BackupsBucket }

try {
    Write-Host "1. Manual snapshot of $DbInstanceId" -ForegroundColor Cyan
    $snapshotParams = @{ DbInstanceId = $DbInstanceId; Wait = $true; Timeout = $Timeout; Tag = @{ procedure = 'manual-backup' } }
    if ($SnapshotId) { $snapshotParams.SnapshotId = $SnapshotId }
    $snapshot = New-DbSnapshot @snapshotParams

    Write-Host "2. Verify the snapshot" -ForegroundColor Cyan
    Get-DbSnapshot $snapshot.SnapshotId | Format-Table -AutoSize | Out-Host

    $artifact = $null
    if (-not $SkipExport) {
        Write-Host "3. Export (pg_dump -Fc) to s3://$Bucket/$Key" -ForegroundColor Cyan
        $artifact = Export-Database -Destination "s3://$Bucket/$Key" -DbInstanceId $DbInstanceId
        $artifact | Format-Table -AutoSize | Out-Host
    }
}
catch {
    Write-Host "BACKUP FAILED: $($_.FullyQualifiedErrorId): $($_.Exception.Message)" -ForegroundColor Red
    exit 1
}
Write-Host ("BACKUP OK: snapshot {0} ({1})" -f $snapshot.SnapshotId, $snapshot.Status) -ForegroundColor Green
if ($artifact) { Write-Host ("EXPORT OK: {0} {1} MB sha256 {2}" -f $artifact.Location, $artifact.SizeMB, $artifact.Sha256) -ForegroundColor Green }
exit 0
