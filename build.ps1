<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages the RealEstateOps module.
.DESCRIPTION
    Tasks:
      Build    publish the module into out/RealEstateOps (manifest, formats, help, cmdlet assembly,
               engine and dependencies in dependencies/, the sandbox program in sandbox/)
      Test     Build, start a throwaway PostgreSQL, run the xunit projects and Pester, print
               'N passed, N failed', stop PostgreSQL; exit code 1 on any failure
      Demo     Build, then examples/Invoke-Demo.ps1: start the sandbox, run the runbooks against it, stop it;
               with contexts, journal and sandbox state in a temporary folder (never the operator's own)
      Bench    Build, then the benchmarks in bench/ (ratios against peer tools, one run)
      Package  Build, then out/package/RealEstateOps.<version>.nupkg for a local PowerShell repository
      Install  Build, then copy the module into <module folder>/RealEstateOps/<version>, where the system
               pwsh and the pinned 'dotnet pwsh' import it by name: -Scope CurrentUser (default,
               ~/.local/share/powershell/Modules) or AllUsers (/usr/local/share/powershell/Modules, as root)
      Uninstall  remove the installed versions from -Scope's module folder
      Clean    remove out/ and every bin/ and obj/
    Prerequisites the tasks need (PostgreSQL, Prometheus and Alertmanager for the sandbox's monitoring, the aws CLI,
    kubectl) are installed from Debian's packages when missing (tools/Prerequisites.ps1). The Kubernetes conformance tests need kubectl 1.32 or newer;
    with an older one (Debian 12's kubernetes-client is 1.20) they are skipped and counted as skipped.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Install', 'Uninstall', 'Clean')]
    [string[]] $Task = 'Build',
    # Install/Uninstall: for this user (~/.local/share/powershell/Modules) or all users (/usr/local/share/powershell/Modules, as root).
    [ValidateSet('CurrentUser', 'AllUsers')]
    [string] $Scope = 'CurrentUser',
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
# Invoke-Native, Install-DebianPackage, Install-Prerequisites, the kubectl check; Install-OpsModule, Uninstall-OpsModule.
. (Join-Path $Root 'tools/Prerequisites.ps1')
. (Join-Path $Root 'tools/ModuleInstall.ps1')
# New-WorkFolder, Remove-WorkFolder, Invoke-Isolated: the Demo task's temporary home.
. (Join-Path $Root 'tools/WorkFolder.ps1')

# The PowerShell the tasks start for child sessions: the same pinned local tool that runs this script.
function Invoke-Pwsh {
    Push-Location $Root
    try { & dotnet pwsh -NoProfile -NonInteractive @args } finally { Pop-Location }
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
    # The failed tests' names and the first lines of their messages, to repeat just before the count line.
    $ns = @{ t = 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010' }
    $failures = @(Select-Xml -Xml $trx -Namespace $ns -XPath "//t:UnitTestResult[@outcome!='Passed' and @outcome!='NotExecuted']" | ForEach-Object {
        $node = $_.Node
        $message = "$($node.Output.ErrorInfo.Message)".Trim() -split "`n" | Select-Object -First 3
        [pscustomobject]@{ Name = $node.testName; Message = $message }
    })
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted; Failures = $failures }
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
    $passed = 0; $failed = 0; $skipped = 0
    $failures = [System.Collections.Generic.List[object]]::new()
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
                $passed += $count.Passed; $failed += $count.Failed; $skipped += $count.Skipped
                foreach ($f in $count.Failures) { $failures.Add($f) }
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
            # Several files: a list, or one comma-separated string (as `pwsh -File build.ps1 -PesterFile A,B` passes it); names or wildcards under tests/pester.
            $files = @($PesterFile | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ } |
                ForEach-Object { Join-Path $Root "tests/pester/$(Split-Path $_ -Leaf)" })
            if ($files) { $pesterArgs += @('-Path', ($files -join ',')) }
            Invoke-Pwsh -File (Join-Path $Root 'tests/pester/Invoke-PesterTests.ps1') @pesterArgs
            $pesterExit = $LASTEXITCODE
        }
        $nunit = $null
        if ($PesterFile -ne '-' -and (Test-Path $pesterXml)) {
            # A results file cut short (a crashed run) is a failure to report, not a reason to lose the count line.
            try { [xml] $nunit = Get-Content -Raw $pesterXml } catch { Write-Host "Pester's results could not be read: $($_.Exception.Message)" }
        }
        if ($PesterFile -eq '-') { }
        elseif ($nunit) {
            $r = $nunit.'test-results'
            $pFailed = [int]$r.failures + [int]$r.errors
            $passed += [int]$r.total - $pFailed - [int]$r.'not-run' - [int]$r.skipped - [int]$r.ignored - [int]$r.inconclusive
            $failed += $pFailed
            # Skipped tests (e.g. the Kubernetes conformance tests with a too old kubectl) are counted and shown.
            $skipped += [int]$r.skipped + [int]$r.ignored
            if ($pesterExit -ne 0 -and $pFailed -eq 0) { $failed++; Write-Host "Pester exited with $pesterExit" }
            foreach ($case in @($nunit.SelectNodes("//test-case[@success='False']"))) {
                $message = "$($case.failure.message)".Trim() -split "`n" | Select-Object -First 3
                $failures.Add([pscustomobject]@{ Name = $case.name; Message = $message })
            }
        } else {
            $failed++
            Write-Host 'Pester produced no results'
        }
    }
    finally {
        if (Test-Path $pgRoot) { & dotnet $SandboxDll postgres stop --root $pgRoot --info-file $pgInfo }
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        Remove-Item $work -Recurse -Force -ErrorAction Ignore
    }
    # The failures again (xunit's and Pester's), last, so that a log cut to its tail (as CI shows it) still names them.
    foreach ($f in $failures) {
        Write-Host "FAILED: $($f.Name)"
        foreach ($line in $f.Message) { Write-Host "    $line" }
    }
    Write-Host "$passed passed, $failed failed$(if ($skipped -gt 0) { ", $skipped skipped" })"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Install-Prerequisites
    # The demo never touches the operator's own contexts, journal or sandbox.
    $work = New-WorkFolder 'realestateops-demo-'
    try {
        Invoke-Isolated $work @{} {
            Invoke-Pwsh -File (Join-Path $Root 'examples/Invoke-Demo.ps1') -ModulePath (Join-Path $ModuleOut 'RealEstateOps.psd1')
            if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
        }
    }
    finally { Remove-WorkFolder $work }
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

# Installs out/RealEstateOps for -Scope, then checks that a new session imports it by name from another folder.
function Invoke-Install {
    $installed = Install-OpsModule -ModulePath $ModuleOut -Scope $Scope
    $check = "Set-Location ([IO.Path]::GetTempPath()); Import-Module RealEstateOps -ErrorAction Stop; `$m = Get-Module RealEstateOps; if (`$m.ModuleBase -ne '$($installed.FullName)') { throw `"Import-Module RealEstateOps found `$(`$m.ModuleBase) first.`" }; `"Import-Module RealEstateOps: `$(`$m.Version) from `$(`$m.ModuleBase)`""
    Invoke-Pwsh -Command $check
    if ($LASTEXITCODE -ne 0) { throw "The installed module did not import by name (exit code $LASTEXITCODE)." }
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
        'Install' { Invoke-Build; Invoke-Install }
        'Uninstall' { Uninstall-OpsModule -Scope $Scope }
        'Clean' { Invoke-Clean }
    }
}
