# Shared by the Pester tests: where the built module is, and isolated folders for each test file.
$script:ModuleManifest = if ($env:REALESTATEOPS_MODULE_PATH) { $env:REALESTATEOPS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/RealEstateOps/RealEstateOps.psd1' }
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

# A real client (aws, kubectl) under coreutils' timeout: a call that hangs ends with exit code 124 and fails its
# test instead of stalling the whole run. Output, streams and $LASTEXITCODE are the client's own.
function Invoke-Client {
    $exe, $rest = $args
    & timeout --kill-after=10 180 $exe @rest
}

# Debian's aws CLI on a sandbox's endpoint with the 'sandbox' profile (AWS_SHARED_CREDENTIALS_FILE names the
# sandbox's credentials): JSON output parsed, or the raw lines with -Raw; a failure throws with the CLI's output.
function Invoke-SandboxAws {
    [CmdletBinding(PositionalBinding = $false)]
    param([Parameter(Mandatory)] [string] $Url, [string] $Region = 'us-east-1', [switch] $Raw, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $out = Invoke-Client /usr/bin/aws --profile sandbox --region $Region --endpoint-url $Url --output json @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "aws $($Arguments -join ' ') failed ($LASTEXITCODE): $($out -join "`n")" }
    if ($Raw) { return $out | ForEach-Object { "$_" } }
    $text = ($out | ForEach-Object { "$_" }) -join "`n"
    if ($text.Trim()) { $text | ConvertFrom-Json } else { $null }
}

# The aws CLI's environment for a sandbox: its credentials file, no config file of the operator's, no pager and no
# instance metadata lookups. Clear-SandboxAwsEnvironment takes them away again in the file's AfterAll.
function Set-SandboxAwsEnvironment($Sandbox, [string] $TestHome) {
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $Sandbox.StateFolder 'aws-credentials'
    $env:AWS_CONFIG_FILE = Join-Path $TestHome 'aws-config-none'
    $env:AWS_PAGER = ''
    $env:AWS_EC2_METADATA_DISABLED = 'true'
}
function Clear-SandboxAwsEnvironment {
    foreach ($k in 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PAGER', 'AWS_EC2_METADATA_DISABLED') { Remove-Item "env:$k" -ErrorAction Ignore }
}

# A new bucket with a random name beginning with $Stem on a sandbox, made with the aws CLI (versioned on request).
function New-SandboxBucket([string] $Url, [string] $Stem, [switch] $Versioned) {
    $name = ("$Stem-" + [guid]::NewGuid().ToString('N')).Substring(0, $Stem.Length + 13)
    Invoke-SandboxAws -Url $Url s3api create-bucket --bucket $name | Out-Null
    if ($Versioned) { Invoke-SandboxAws -Url $Url s3api put-bucket-versioning --bucket $name --versioning-configuration Status=Enabled | Out-Null }
    $name
}

# Sandboxes started by a test file use the test run's throwaway PostgreSQL server when there is one.
function Use-TestPostgres {
    if ($env:REALESTATEOPS_TEST_PG_INFO -and (Test-Path $env:REALESTATEOPS_TEST_PG_INFO)) {
        $env:REALESTATEOPS_SANDBOX_PG = (Get-Content -Raw $env:REALESTATEOPS_TEST_PG_INFO | ConvertFrom-Json).connectionString
    }
}

# The header the sandbox's control endpoints (/_sandbox/...) require: the control token of this start.
function Get-SandboxControlHeader($Sandbox) { @{ 'X-Sandbox-Token' = (Get-Content -Raw $Sandbox.ControlTokenFile).Trim() } }

function New-IsolatedHome {
    $homeDir = Join-Path ([IO.Path]::GetTempPath()) ('reo-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory $homeDir | Out-Null
    $env:REALESTATEOPS_CONFIG_HOME = Join-Path $homeDir 'config'
    $env:REALESTATEOPS_DATA_HOME = Join-Path $homeDir 'data'
    $env:REALESTATEOPS_STATE_HOME = Join-Path $homeDir 'state'
    $env:REALESTATEOPS_CONTEXT = $null
    $homeDir
}

# Removes a folder made by New-IsolatedHome, and nothing else: a wrong variable must never delete a real folder.
function Remove-IsolatedHome([string] $Path) {
    $temp = [IO.Path]::GetFullPath([IO.Path]::GetTempPath())
    $full = if ($Path) { [IO.Path]::GetFullPath($Path) } else { '' }
    if (-not $full.StartsWith($temp) -or (Split-Path $full -Leaf) -notlike 'reo-pester-*') {
        throw "Refusing to remove '$Path': not a test folder."
    }
    Remove-Item $full -Recurse -Force -ErrorAction Ignore
}

# A test file's sandbox, started one way: the module imported, Start-OpsSandbox (-Speed when given; on the test run's
# PostgreSQL server with -SharedPostgres, else on a server of its own), and chosen through $env:REALESTATEOPS_CONTEXT,
# not Use-OpsContext (the session's choice would outlive the file). Call it after New-IsolatedHome; returns the sandbox.
function Start-TestSandbox([double] $Speed = 0, [switch] $SharedPostgres) {
    if ($SharedPostgres) { Use-TestPostgres }
    Import-Module $ModuleManifest -Force -Global
    $sandbox = if ($Speed -gt 0) { Start-OpsSandbox -Speed $Speed } else { Start-OpsSandbox }
    $env:REALESTATEOPS_CONTEXT = 'sandbox'
    $sandbox
}

# Undoes Start-TestSandbox (stops the sandbox, forgets the context and the shared server, removes the module) and removes
# the file's isolated home (only a folder New-IsolatedHome made), so the next file starts as it would alone.
function Stop-TestSandbox([string] $TestHome) {
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    foreach ($k in 'REALESTATEOPS_CONTEXT', 'REALESTATEOPS_SANDBOX_PG') { Remove-Item "env:$k" -ErrorAction Ignore }
    Remove-Module RealEstateOps -ErrorAction Ignore
    Remove-IsolatedHome $TestHome
}

# Runs a script in a fresh pwsh process (the same pinned PowerShell) and returns its output lines and exit code.
function Invoke-ChildPwsh([string] $Script) {
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script))
    Push-Location $script:RepoRoot
    try {
        $out = & dotnet pwsh -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ Output = $out; ExitCode = $LASTEXITCODE }
    } finally { Pop-Location }
}

# Polls a script block every second until it returns something truthy or $Seconds pass; returns its last value
# (so a test can assert on what it last saw).
function Wait-Until([scriptblock] $Probe, [int] $Seconds) {
    $until = [DateTime]::UtcNow.AddSeconds($Seconds)
    do {
        $value = & $Probe
        if ($value) { return $value }
        Start-Sleep -Seconds 1
    } while ([DateTime]::UtcNow -lt $until)
    $value
}

# kubectl (under Invoke-Client) with a sandbox's kubeconfig and a cache folder of the test's own: stdout and stderr
# as lines, the exit code in $LASTEXITCODE.
function Invoke-SandboxKubectl([string] $Kubeconfig, [string] $CacheDir) {
    $env:KUBECONFIG = $Kubeconfig
    try { Invoke-Client kubectl --cache-dir $CacheDir @args 2>&1 | ForEach-Object { "$_" } } finally { $env:KUBECONFIG = $null }
}

# The module's state (contexts, journal, sandbox) in a folder closed to other users under the test's home, as a real home
# folder is (PostgreSQL runs as 'postgres' when we are root): for the tests that run example scripts in a child pwsh.
function Use-PrivateStateHome([string] $TestHome) {
    $private = Join-Path $TestHome 'private'
    New-Item -ItemType Directory $private | Out-Null
    if (-not $IsWindows) { chmod 700 $private }
    $env:REALESTATEOPS_STATE_HOME = Join-Path $private 'state'
}
