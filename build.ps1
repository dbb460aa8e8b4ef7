<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages the RealEstateOps module.
.DESCRIPTION
    Tasks:
      Build    publish the module into out/RealEstateOps (manifest, formats, help, cmdlet assembly,
               engine and dependencies in dependencies/, the sandbox program in sandbox/)
      Test     Build, start a throwaway PostgreSQL, run the xunit projects and Pester, print
               'N passed, N failed', stop PostgreSQL; exit code 1 on any failure
      Demo     Build, start the sandbox, run examples/Test-Platform.ps1 against it, stop it
      Bench    Build, then the benchmarks in bench/ (ratios against peer tools, one run)
      Package  Build, then out/package/RealEstateOps.<version>.nupkg for a local PowerShell repository
      Clean    remove out/ and every bin/ and obj/
    Prerequisites the tasks need (PostgreSQL; later the aws CLI and kubectl) are installed from
    Debian's packages when missing.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string[]] $Task = 'Build',
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    # Test: only the xunit tests this filter selects (dotnet test --filter syntax); '-' runs no xunit test.
    [string] $XunitFilter,
    # Test: only these Pester files (names under tests/pester, wildcards allowed); '-' runs no Pester file.
    [string[]] $PesterFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'RealEstateOps'
$SandboxDll = Join-Path $ModuleOut 'sandbox/RealEstateOps.Sandbox.dll'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'

# Runs a program (first argument) with the rest as its arguments; a non-zero exit code is an error.
function Invoke-Native {
    $exe, $rest = $args
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "$exe $($rest -join ' ') failed with exit code $LASTEXITCODE" }
}

# The PowerShell the tasks start for child sessions: the same pinned local tool that runs this script.
function Invoke-Pwsh {
    Push-Location $Root
    try { & dotnet pwsh -NoProfile -NonInteractive @args } finally { Pop-Location }
}

function Install-DebianPackage {
    param([Parameter(Mandatory)] [string[]] $Package)
    if (-not (Get-Command apt-get -ErrorAction Ignore)) { throw "Missing $($Package -join ', ') and no apt-get to install it with." }
    $sudo = @(if ((id -u) -ne '0') { 'sudo' })
    Write-Host "Installing $($Package -join ', ') from Debian's packages..."
    if (-not (Get-Variable -Scope Script -Name AptUpdated -ValueOnly -ErrorAction Ignore)) {
        Invoke-Native @sudo apt-get update -qq
        $script:AptUpdated = $true
    }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native @sudo apt-get install -y -qq --no-install-recommends @Package
}

function Get-PostgresBin {
    foreach ($dir in Get-ChildItem /usr/lib/postgresql -Directory -ErrorAction Ignore | Sort-Object { [int]$_.Name } -Descending) {
        if (Test-Path (Join-Path $dir 'bin/initdb')) { return (Join-Path $dir 'bin') }
    }
    $initdb = Get-Command initdb -ErrorAction Ignore
    if ($initdb) { return Split-Path $initdb.Source }
}

function Install-Prerequisites {
    if (-not (Get-PostgresBin)) { Install-DebianPackage postgresql }
    if (-not (Get-PostgresBin)) { throw 'PostgreSQL server programs (initdb, pg_ctl) are still missing after installing postgresql.' }
    # The aws CLI drives the sandbox in the S3 (issue 3) and RDS (issue 4) conformance tests, demo and benchmarks.
    if (-not (Test-Path /usr/bin/aws)) { Install-DebianPackage awscli }
    # issue 5: kubectl, for the Kubernetes conformance tests and the drain benchmark
    if (-not (Get-Command kubectl -ErrorAction Ignore)) { Install-DebianPackage kubernetes-client }
}

function Invoke-Build {
    Write-Host "== Build ($Configuration)"
    Invoke-Native dotnet build (Join-Path $Root 'Ops.sln') -c $Configuration --nologo -v quiet '-clp:ErrorsOnly'
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $staging = Join-Path $Out 'staging'
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
    Invoke-Native dotnet publish (Join-Path $Root 'src/RealEstateOps.Engine') -c $Configuration --no-build --nologo -v quiet -o (Join-Path $ModuleOut 'dependencies')
    Invoke-Native dotnet publish (Join-Path $Root 'src/RealEstateOps') -c $Configuration --no-build --nologo -v quiet -o $staging
    Invoke-Native dotnet publish (Join-Path $Root 'src/RealEstateOps.Sandbox') -c $Configuration --no-build --nologo -v quiet -o (Join-Path $ModuleOut 'sandbox')
    # The cmdlet assembly alone goes to the module root; everything it depends on loads from dependencies/.
    Copy-Item (Join-Path $staging 'RealEstateOps.dll'), (Join-Path $staging 'RealEstateOps.pdb') $ModuleOut
    Remove-Item $staging -Recurse -Force
    Copy-Item (Join-Path $Root 'RealEstateOps.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'src/RealEstateOps/Formats/RealEstateOps.format.ps1xml') $ModuleOut
    Invoke-Pwsh -File (Join-Path $Root 'tools/New-HelpFile.ps1') -ModulePath $ModuleOut -DocsPath (Join-Path $Root 'docs')
    if ($LASTEXITCODE -ne 0) { throw 'Generating the help file failed.' }
    Write-Host "Module: $ModuleOut"
}

function Get-PesterPath {
    Invoke-Native dotnet restore (Join-Path $Root 'tools/restore/Restore.csproj') --nologo -v quiet
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $manifest)) { throw "Pester 5.7.1 was not restored to $manifest." }
    return [pscustomobject]@{ Pester = $manifest; Packages = $packages }
}

function Get-TrxCount([string] $Path) {
    [xml] $trx = Get-Content -Raw $Path
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted }
}

function Invoke-Test {
    Install-Prerequisites
    $tools = Get-PesterPath
    $work = Join-Path ([IO.Path]::GetTempPath()) ("realestateops-test-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory $work | Out-Null
    $pgRoot = Join-Path $work 'pg'
    $pgInfo = Join-Path $work 'pg.json'
    $results = Join-Path $work 'results'
    # Tests never touch the operator's own contexts, journal or sandbox.
    $saved = @{}
    $testEnv = @{
        REALESTATEOPS_TEST_PG_INFO  = $pgInfo
        REALESTATEOPS_CONFIG_HOME   = Join-Path $work 'config'
        REALESTATEOPS_DATA_HOME     = Join-Path $work 'data'
        REALESTATEOPS_STATE_HOME    = Join-Path $work 'state'
        REALESTATEOPS_MODULE_PATH   = Join-Path $ModuleOut 'RealEstateOps.psd1'
        REALESTATEOPS_PESTER_PATH   = $tools.Pester
        REALESTATEOPS_NUGET_PACKAGES = $tools.Packages
        REALESTATEOPS_CONTEXT       = $null
    }
    foreach ($k in $testEnv.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $testEnv[$k]) }
    $passed = 0; $failed = 0
    try {
        Write-Host '== PostgreSQL (throwaway)'
        Invoke-Native dotnet $SandboxDll postgres start --root $pgRoot --info-file $pgInfo

        $projects = if ($XunitFilter -eq '-') { @() } else { Get-ChildItem (Join-Path $Root 'tests') -Filter *.csproj -Recurse }
        foreach ($project in $projects) {
            Write-Host "== xunit: $($project.BaseName)"
            $trx = "$($project.BaseName).trx"
            $filter = if ($XunitFilter) { @('--filter', $XunitFilter) } else { @() }
            & dotnet test $project.FullName -c $Configuration --no-build --nologo -v quiet --results-directory $results --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' @filter
            $exit = $LASTEXITCODE
            $trxPath = Join-Path $results $trx
            if (Test-Path $trxPath) {
                $count = Get-TrxCount $trxPath
                $passed += $count.Passed; $failed += $count.Failed
                if ($exit -ne 0 -and $count.Failed -eq 0) { $failed++ ; Write-Host "dotnet test exited with $exit" }
            } else {
                $failed++
                Write-Host "dotnet test for $($project.BaseName) produced no results (exit $exit)"
            }
        }

        Write-Host '== Pester'
        $pesterXml = Join-Path $results 'pester.xml'
        if ($PesterFile -ne '-') {
            $pesterArgs = @('-ResultPath', $pesterXml)
            if ($PesterFile) { $pesterArgs += @('-Path', (($PesterFile | ForEach-Object { Join-Path $Root "tests/pester/$_" }) -join ',')) }
            Invoke-Pwsh -File (Join-Path $Root 'tests/pester/Invoke-PesterTests.ps1') @pesterArgs
        }
        if ($PesterFile -eq '-') { }
        elseif (Test-Path $pesterXml) {
            [xml] $nunit = Get-Content -Raw $pesterXml
            $r = $nunit.'test-results'
            $pFailed = [int]$r.failures + [int]$r.errors
            $passed += [int]$r.total - $pFailed - [int]$r.'not-run' - [int]$r.skipped - [int]$r.ignored - [int]$r.inconclusive
            $failed += $pFailed
        } else {
            $failed++
            Write-Host 'Pester produced no results'
        }
    }
    finally {
        if (Test-Path $pgRoot) { & dotnet $SandboxDll postgres stop --root $pgRoot }
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        Remove-Item $work -Recurse -Force -ErrorAction Ignore
    }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Install-Prerequisites
    Invoke-Pwsh -File (Join-Path $Root 'examples/Invoke-Demo.ps1') -ModulePath (Join-Path $ModuleOut 'RealEstateOps.psd1')
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Bench {
    Install-Prerequisites
    Invoke-Pwsh -File (Join-Path $Root 'bench/Invoke-Bench.ps1') -ModulePath (Join-Path $ModuleOut 'RealEstateOps.psd1')
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed (exit code $LASTEXITCODE)." }
}

function Invoke-Package {
    $manifest = Import-PowerShellDataFile (Join-Path $ModuleOut 'RealEstateOps.psd1')
    $version = $manifest.ModuleVersion
    $tags = @('PSModule', 'PSEdition_Core', 'PSIncludes_Cmdlet') + ($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_" }) + $manifest.PrivateData.PSData.Tags
    $packageDir = Join-Path $Out 'package'
    New-Item -ItemType Directory -Force $packageDir | Out-Null
    $nuspec = Join-Path $Out 'RealEstateOps.nuspec'
    $desc = [Security.SecurityElement]::Escape($manifest.Description)
    @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd">
  <metadata>
    <id>RealEstateOps</id>
    <version>$version</version>
    <authors>$([Security.SecurityElement]::Escape($manifest.Author))</authors>
    <description>$desc</description>
    <tags>$($tags -join ' ')</tags>
  </metadata>
  <files>
    <file src="**" target="" />
  </files>
</package>
"@ | Set-Content -Encoding utf8 $nuspec
    Invoke-Native dotnet pack (Join-Path $Root 'tools/package/Package.csproj') --nologo -v quiet -o $packageDir `
        "-p:NuspecFile=$nuspec" "-p:NuspecBasePath=$ModuleOut" '-p:NoDefaultExcludes=true'
    Get-ChildItem $packageDir -Filter "RealEstateOps.$version.nupkg" | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

function Invoke-Clean {
    if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Where-Object FullName -notmatch '[\\/]\.git[\\/]' |
        Remove-Item -Recurse -Force -ErrorAction Ignore
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Package; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Demo }
        'Bench' { Invoke-Build; Invoke-Bench }
        'Package' { Invoke-Build; Invoke-Package }
        'Clean' { Invoke-Clean }
    }
}
