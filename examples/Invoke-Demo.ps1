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

Write-Host '== Starting the sandbox' -ForegroundColor Cyan
if (Get-OpsSandbox | Where-Object Responding) { Stop-OpsSandbox -Confirm:$false }
Start-OpsSandbox | Format-Table -AutoSize | Out-Host
$exitCode = 0
try {
    Use-OpsContext sandbox
    & (Join-Path $PSScriptRoot 'Test-Platform.ps1')
    $exitCode = $LASTEXITCODE

    # issue 5: node maintenance - a drain that a disruption budget holds up until the pod's replacement is ready elsewhere
    Write-Host '== Node maintenance: drain a node (the api-service disruption budget blocks, then lets go)' -ForegroundColor Cyan
    $node = (Get-KubePod -Selector app=api-service | Group-Object Node | Sort-Object Count -Descending | Select-Object -First 1).Name
    Get-KubePod -Node $node -AllNamespaces | Format-Table -AutoSize | Out-Host
    Invoke-NodeDrain $node -DeleteEmptyDirData -WhatIf | Format-List Node, Status, Evicted, Skipped, BlockingBudgets | Out-Host
    $drain = Invoke-NodeDrain $node -DeleteEmptyDirData -Confirm:$false -Verbose 4>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -match 'evict|budget|cordon|drained') { Write-Host "  $($_.Message)" } } else { $_ }
    }
    $drain | Format-Table -AutoSize | Out-Host
    Enable-NodeScheduling $node -Confirm:$false | Format-Table -AutoSize | Out-Host
    Test-Deployment | Format-Table -AutoSize | Out-Host

    Write-Host '== Journal of this demo' -ForegroundColor Cyan
    Get-OpsJournal -Within 10m -Newest 5 | Format-Table -AutoSize | Out-Host
}
finally {
    Write-Host '== Stopping the sandbox' -ForegroundColor Cyan
    Stop-OpsSandbox -Confirm:$false
}
exit $exitCode
