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

    Write-Host '== Journal of this demo' -ForegroundColor Cyan
    Get-OpsJournal -Within 10m -Newest 5 | Show
}
finally {
    Write-Host '== Stopping the sandbox' -ForegroundColor Cyan
    Stop-OpsSandbox -Confirm:$false
}
exit $exitCode
