<#
.SYNOPSIS
    Runs the Pester tests under tests/pester with the pinned Pester (restored from NuGet by build.ps1)
    and writes NUnit XML results for build.ps1 to count.
#>
param(
    [Parameter(Mandatory)] [string] $ResultPath,
    # Comma-separated test files (wildcards allowed); all of tests/pester when omitted.
    [string] $Path
)
$ErrorActionPreference = 'Stop'
$pester = $env:REALESTATEOPS_PESTER_PATH
if (-not $pester -or -not (Test-Path $pester)) { throw 'REALESTATEOPS_PESTER_PATH must name Pester.psd1 (build.ps1 -Task Test sets it).' }
Import-Module $pester -RequiredVersion 5.7.1 -Force

$config = New-PesterConfiguration
$config.Run.Path = if ($Path) { @($Path -split ',' | ForEach-Object { Resolve-Path $_ } | ForEach-Object Path) } else { $PSScriptRoot }
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config
if ($result.Result -ne 'Passed') {
    Write-Host "Pester: $($result.Result) ($($result.FailedCount) failed tests, $($result.FailedBlocksCount) failed blocks, $($result.FailedContainersCount) failed containers)"
    exit 1
}
exit 0
