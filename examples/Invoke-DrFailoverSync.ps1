<#
.SYNOPSIS
    Disaster recovery: fills a new primary bucket from the DR replica, then checks how well it is protected.
.DESCRIPTION
    The runbook's "Restore from Replication Region": the equivalent of
        aws s3 sync s3://real-estate-ai-assets-dr/ s3://new-primary-bucket/ --source-region us-west-2 --region us-east-1
    done server-side and in parallel by Sync-S3Bucket, followed by Test-S3BucketProtection on the new
    primary (versioning, replication, lifecycle, public access block, encryption) so that what is still
    missing before traffic moves is on screen. The destination bucket must exist (created by Terraform or
    `aws s3 mb`), or give -CreateDestination to make it like the source (versioning, default encryption,
    public access block, lifecycle; an existing bucket that holds anything is refused). Rerun it after an
    interruption: it copies only what is still missing.
    Exits 0 when the sync had no failures (and, with -RequireProtection, the bucket passed the check), else 1.
.EXAMPLE
    ./Invoke-DrFailoverSync.ps1 -Destination s3://new-primary-bucket/ -CreateDestination -Force
#>
#Requires -Modules RealEstateOps
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
param(
    [string] $Source = 's3://real-estate-ai-assets-dr/',
    [string] $SourceRegion = 'us-west-2',
    [Parameter(Mandatory)] [string] $Destination,
    [string] $DestinationRegion = 'us-east-1',
    [ValidateSet('SizeAndTime', 'Checksum')] [string] $Compare = 'SizeAndTime',
    [switch] $CreateDestination,
    [switch] $RequireProtection,
    [switch] $Force
)
$ErrorActionPreference = 'Stop'

Write-Host "== Sync $Source ($SourceRegion) -> $Destination ($DestinationRegion)"
$sync = Sync-S3Bucket -Source $Source -Destination $Destination -SourceRegion $SourceRegion -DestinationRegion $DestinationRegion `
    -Compare $Compare -CreateDestination:$CreateDestination -Force:$Force -ErrorAction Continue -WhatIf:$WhatIfPreference -Confirm:$false
if (-not $sync) { Write-Host 'Nothing was synced (declined or -WhatIf).'; exit 0 }
$sync | Format-Table -AutoSize | Out-Host

$bucket = ($Destination -replace '^s3://', '').Split('/')[0]
Write-Host "== Protection of $bucket"
$protection = Test-S3BucketProtection -Bucket $bucket -ErrorAction Continue
$protection | Format-Table -AutoSize | Out-Host
$protection.Checks | Format-Table Name, Passed, Detail -AutoSize | Out-Host

$exitCode = 0
if ($sync.Failed -gt 0) { Write-Host "SYNC INCOMPLETE: $($sync.Failed) object(s) failed; run this again to copy what is missing."; $exitCode = 1 }
else { Write-Host "SYNCED: $($sync.Copied) copied, $($sync.Skipped) already there, $([math]::Round($sync.Bytes / 1MB, 1)) MiB in $([math]::Round($sync.Duration.TotalSeconds, 1)) s" }
if (-not $protection.Passed) {
    Write-Host "ACTION NEEDED before traffic moves: $($protection.FailedChecks -join ', ') not in place on $bucket"
    if ($RequireProtection) { $exitCode = 1 }
}
exit $exitCode
