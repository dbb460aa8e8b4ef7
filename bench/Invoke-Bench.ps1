<#
.SYNOPSIS
    The benchmarks, run by build.ps1 -Task Bench: each measures the module against its peer in one run
    and prints the figures and the ratio. Timings live here, never in tests.
.DESCRIPTION
    Import overhead: pwsh -NoProfile -c "Import-Module out/RealEstateOps" against pwsh -NoProfile -c 1,
    median of -Runs runs each, interleaved. Target: under 150 ms overhead.
    Later benchmarks (S3 listing and sync against the aws CLI, snapshot listing, drains against kubectl)
    are added as bench/*.Bench.ps1 files and run from here.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Runs = 7
)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
}

# The pinned pwsh, started directly (dotnet exec pwsh.dll), as an operator's pwsh would be.
$pwshDll = Join-Path ([System.IO.Path]::GetDirectoryName([System.Management.Automation.PSObject].Assembly.Location)) 'pwsh.dll'
$dotnet = [Environment]::ProcessPath
Push-Location $root
try {
    & $dotnet $pwshDll -NoProfile -c 1 | Out-Null   # warm the disk cache for both
    & $dotnet $pwshDll -NoProfile -c "Import-Module '$ModulePath'" | Out-Null
    # Interleaved (bare, import, first command, bare, ...), so a change in the machine's load during the run
    # weighs on all three alike instead of on whichever was measured last.
    $times = @{ bare = @(); import = @(); first = @() }
    foreach ($i in 1..$Runs) {
        $times.bare += (Measure-Command { & $dotnet $pwshDll -NoProfile -c 1 | Out-Null }).TotalMilliseconds
        $times.import += (Measure-Command { & $dotnet $pwshDll -NoProfile -c "Import-Module '$ModulePath'" | Out-Null }).TotalMilliseconds
        $times.first += (Measure-Command { & $dotnet $pwshDll -NoProfile -c "Import-Module '$ModulePath'; `$null = Get-OpsContext" | Out-Null }).TotalMilliseconds
    }
    $bare = Get-Median $times.bare
    $import = Get-Median $times.import
    $firstCall = Get-Median $times.first
}
finally { Pop-Location }

$overhead = $import - $bare
[pscustomobject]@{
    Benchmark        = 'Import-Module overhead'
    'pwsh -c 1 (ms)' = [math]::Round($bare)
    'import (ms)'    = [math]::Round($import)
    'overhead (ms)'  = [math]::Round($overhead)
    Ratio            = [math]::Round($import / $bare, 3)
    'first command (ms)' = [math]::Round($firstCall - $bare)
    Target           = '< 150 ms overhead'
    Met              = $overhead -lt 150
} | Format-List | Out-Host

foreach ($bench in Get-ChildItem $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "== $($bench.BaseName)"
    & $bench.FullName -ModulePath $ModulePath
}
