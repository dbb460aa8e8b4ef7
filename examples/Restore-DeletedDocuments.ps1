<#
.SYNOPSIS
    Finds the documents deleted under a prefix recently (by default in the last day) and restores them.
.DESCRIPTION
    The runbook's "Restore Deleted Object", for a whole folder: lists the keys whose current version is
    a delete marker newer than -Since, shows them, restores them by removing their delete markers
    (nothing is copied), and shows the result per key. Exits 0 when every key was restored, 1 otherwise.
    Supports -WhatIf and -Confirm; -Force restores without asking.
.EXAMPLE
    ./Restore-DeletedDocuments.ps1 -Prefix properties/ -WhatIf
.EXAMPLE
    ./Restore-DeletedDocuments.ps1 -Bucket real-estate-ai-assets -Prefix properties/prop-0003/ -Since (Get-Date).AddHours(-6) -Force
#>
#Requires -Modules RealEstateOps
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [string] $Bucket,
    [string] $Prefix = 'properties/',
    [datetime] $Since = (Get-Date).AddDays(-1),
    [switch] $Force
)
$ErrorActionPreference = 'Stop'
$common = @{}
if ($Bucket) { $common.Bucket = $Bucket }

$deleted = @(Get-S3ObjectVersion @common -Prefix $Prefix -Deleted | Where-Object { $_.LastModified -ge $Since })
if ($deleted.Count -eq 0) {
    Write-Host "Nothing under '$Prefix' was deleted since $($Since.ToString('u'))."
    exit 0
}
Write-Host "$($deleted.Count) key(s) under '$Prefix' deleted since $($Since.ToString('u')):"
$deleted | Format-Table -AutoSize | Out-Host

if (-not ($Force -or $PSCmdlet.ShouldProcess("$($deleted.Count) deleted key(s) under '$Prefix'", 'Restore'))) { exit 0 }
$results = @($deleted | Restore-S3Object -Force -Confirm:$false -ErrorAction Continue)
$results | Format-Table -AutoSize | Out-Host

$notRestored = @($results | Where-Object Status -notin 'Restored', 'AlreadyCurrent')
if ($notRestored.Count -gt 0) {
    Write-Host "NOT RESTORED: $($notRestored.Count) key(s): $(($notRestored | ForEach-Object { "$($_.Key) ($($_.Status): $($_.Reason))" }) -join '; ')"
    exit 1
}
Write-Host "RESTORED: $($results.Count) key(s)"
exit 0
