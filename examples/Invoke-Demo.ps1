<#
.SYNOPSIS
    The demo that build.ps1 -Task Demo runs: start the sandbox, run the platform check against it, stop it.
.EXAMPLE
    dotnet pwsh -NoProfile -File examples/Invoke-Demo.ps1 -ModulePath out/RealEstateOps/RealEstateOps.psd1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/RealEstateOps/RealEstateOps.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
function Show { $input | Format-Table -AutoSize | Out-String -Width 200 | Write-Host }

Write-Host '== Starting the sandbox' -ForegroundColor Cyan
if (Get-OpsSandbox | Where-Object Responding) { Stop-OpsSandbox -Confirm:$false }
Start-OpsSandbox | Show
$exitCode = 0
try {
    Use-OpsContext sandbox
    & (Join-Path $PSScriptRoot 'Test-Platform.ps1')
    $exitCode = $LASTEXITCODE

    # S3 recovery (issue 3): delete documents, restore them, show they are back.
    Write-Host '== S3: deleting the documents of prop-0005 (aws s3 rm)' -ForegroundColor Cyan
    $sandbox = Get-OpsSandbox
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $sandbox.StateFolder 'aws-credentials'
    & /usr/bin/aws --profile sandbox --region us-east-1 --endpoint-url $sandbox.Url s3 rm --recursive s3://real-estate-ai-assets/properties/prop-0005/documents/ | Out-Host
    Write-Host '== S3: what was deleted in the last hour' -ForegroundColor Cyan
    $deleted = Get-S3ObjectVersion -Prefix properties/prop-0005/ -Deleted | Where-Object LastModified -gt (Get-Date).AddHours(-1)
    $deleted | Format-Table -AutoSize | Out-Host
    Write-Host '== S3: restoring them (delete markers removed, nothing copied)' -ForegroundColor Cyan
    $deleted | Restore-S3Object -Force | Format-Table -AutoSize | Out-Host
    Write-Host '== S3: the documents are back' -ForegroundColor Cyan
    & /usr/bin/aws --profile sandbox --region us-east-1 --endpoint-url $sandbox.Url s3 ls --recursive s3://real-estate-ai-assets/properties/prop-0005/documents/ | Out-Host
    if (@(Get-S3ObjectVersion -Prefix properties/prop-0005/ -Deleted).Count -ne 0) { $exitCode = 1 }
    Write-Host '== S3: protection of the platform buckets' -ForegroundColor Cyan
    'real-estate-ai-assets', 'real-estate-ai-backups', 'real-estate-ai-assets-dr' | Test-S3BucketProtection | Format-Table -AutoSize | Out-Host

    Write-Host '== Journal of this demo' -ForegroundColor Cyan
    Get-OpsJournal -Within 10m -Newest 5 | Show
}
finally {
    Write-Host '== Stopping the sandbox' -ForegroundColor Cyan
    Stop-OpsSandbox -Confirm:$false
}
exit $exitCode
