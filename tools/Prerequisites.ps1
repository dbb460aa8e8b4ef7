<#
.SYNOPSIS
    The programs the build tasks need (PostgreSQL's server programs, Prometheus with promtool, Alertmanager, the aws CLI,
    kubectl), installed from
    Debian's packages when missing. Dot-sourced by build.ps1; tests/pester/Install.Tests.ps1 dot-sources it
    too and runs every install step against a fake apt-get, so each step is proven where the package is absent.
    Defining these functions runs nothing.
#>

# The oldest kubectl the Kubernetes conformance tests (tests/pester/Kubernetes.Tests.ps1) are known to pass with:
# 1.32, this machine image's. They compare kubectl's own output with the module's, so they depend on its
# wording. Debian 12's kubernetes-client (kubectl 1.20) fails 4 of them against the sandbox: its apply
# validates against /openapi/v2 (the sandbox serves OpenAPI v3 only), its drain ends with 'evicted' instead
# of 'drained', 'logs deployment/<name> --tail' fails, and 'top nodes' prints CPU%/MEMORY% headers
# (newer kubectl prints CPU(%)/MEMORY(%)). With an older kubectl those tests are skipped, and counted.
$script:KubectlMinimumVersion = [version]'1.32'

# Runs a program (first argument) with the rest as its arguments; a non-zero exit code is an error.
function Invoke-Native {
    $exe, $rest = $args
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "$exe $($rest -join ' ') failed with exit code $LASTEXITCODE" }
}

# Installs Debian packages with apt-get (through sudo unless root); 'apt-get update' runs once per session.
function Install-DebianPackage {
    param([Parameter(Mandatory)] [string[]] $Package)
    $names = $Package -join ', '
    if (-not (Get-Command apt-get -CommandType Application -ErrorAction Ignore)) {
        throw "Missing $names and no apt-get to install it with: install $names with this system's package manager."
    }
    $sudo = @(if ((id -u) -ne '0') { 'sudo' })
    Write-Host "Installing $names from Debian's packages..."
    $env:DEBIAN_FRONTEND = 'noninteractive'
    try {
        if (-not (Get-Variable -Scope Script -Name AptUpdated -ValueOnly -ErrorAction Ignore)) {
            Invoke-Native @sudo apt-get update -qq
            $script:AptUpdated = $true
        }
        Invoke-Native @sudo apt-get install -y -qq --no-install-recommends @Package
    }
    catch {
        throw "Could not install $names from Debian's packages ($($_.Exception.Message)). Install it by hand ('$(@($sudo) + 'apt-get install' + $Package -join ' ')') and run the task again."
    }
}

# The folder with PostgreSQL's initdb and pg_ctl: the newest under $LibRoot (Debian's layout), else initdb's on PATH.
function Get-PostgresBin {
    param([string] $LibRoot = '/usr/lib/postgresql')
    foreach ($dir in Get-ChildItem $LibRoot -Directory -ErrorAction Ignore | Where-Object Name -match '^\d+$' | Sort-Object { [int]$_.Name } -Descending) {
        if (Test-Path (Join-Path $dir 'bin/initdb')) { return (Join-Path $dir 'bin') }
    }
    $initdb = Get-Command initdb -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($initdb) { return Split-Path $initdb.Source }
}

# kubectl on PATH and its client version (major.minor), from 'kubectl version --client -o json'; $null when absent.
function Get-KubectlInfo {
    $cmd = Get-Command kubectl -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $cmd) { return $null }
    $version = $null
    try {
        $json = & $cmd.Source version --client -o json 2>$null
        if ($LASTEXITCODE -eq 0) {
            $client = ($json -join "`n" | ConvertFrom-Json).clientVersion
            # minor is '32+' on some builds
            $version = [version]::new([int]($client.major -replace '\D'), [int]($client.minor -replace '\D'))
        }
    } catch { $version = $null }
    [pscustomobject]@{ Path = $cmd.Source; Version = $version; Minimum = $script:KubectlMinimumVersion }
}

# Why the Kubernetes conformance tests cannot run with this kubectl ($null when they can).
function Get-KubectlProblem {
    param($Info = (Get-KubectlInfo))
    $min = $script:KubectlMinimumVersion
    if (-not $Info) { return "kubectl was not found on PATH; the Kubernetes conformance tests need kubectl $min or newer." }
    if (-not $Info.Version) { return "'$($Info.Path) version --client -o json' did not report a version; the Kubernetes conformance tests need kubectl $min or newer." }
    if ($Info.Version -lt $min) { return "kubectl $($Info.Version) ($($Info.Path)) is older than $min, which the Kubernetes conformance tests need." }
    $null
}

# Installs what the tasks need. The paths are parameters so the tests can make each one absent.
function Install-Prerequisites {
    param(
        [string] $PostgresLibRoot = '/usr/lib/postgresql',
        [string] $AwsPath = '/usr/bin/aws',
        [string] $PrometheusPath = '/usr/bin/prometheus',
        [string] $AlertmanagerPath = '/usr/bin/prometheus-alertmanager'
    )
    if (-not (Get-PostgresBin -LibRoot $PostgresLibRoot)) { Install-DebianPackage postgresql }
    if (-not (Get-PostgresBin -LibRoot $PostgresLibRoot)) { throw 'PostgreSQL server programs (initdb, pg_ctl) are still missing after installing postgresql.' }
    # The sandbox's monitoring: the real Prometheus (with promtool, the rule validator) and Alertmanager.
    if (-not (Test-Path $PrometheusPath)) { Install-DebianPackage prometheus }
    if (-not (Test-Path $PrometheusPath)) { throw "Prometheus ($PrometheusPath) is still missing after installing prometheus." }
    if (-not (Test-Path $AlertmanagerPath)) { Install-DebianPackage prometheus-alertmanager }
    if (-not (Test-Path $AlertmanagerPath)) { throw "Alertmanager ($AlertmanagerPath) is still missing after installing prometheus-alertmanager." }
    # The aws CLI drives the sandbox in the S3 and RDS conformance tests, the demo and the benchmarks.
    if (-not (Test-Path $AwsPath)) { Install-DebianPackage awscli }
    if (-not (Test-Path $AwsPath)) { throw "The aws CLI ($AwsPath) is still missing after installing awscli." }
    # kubectl, for the Kubernetes conformance tests and the drain benchmark. Debian's is old (1.20):
    # too old, the conformance tests are skipped (counted) rather than failed.
    if (-not (Get-KubectlInfo)) { Install-DebianPackage kubernetes-client }
    $problem = Get-KubectlProblem
    if ($problem) {
        Write-Host "WARNING: $problem They will be skipped. Put kubectl $($script:KubectlMinimumVersion) or newer first on PATH to run them."
    }
}
