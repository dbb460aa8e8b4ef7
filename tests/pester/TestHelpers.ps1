# Shared by the Pester tests: where the built module is, and isolated folders for each test file.
$script:ModuleManifest = if ($env:REALESTATEOPS_MODULE_PATH) { $env:REALESTATEOPS_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/RealEstateOps/RealEstateOps.psd1' }
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

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

# Runs a script in a fresh pwsh process (the same pinned PowerShell) and returns its output lines and exit code.
function Invoke-ChildPwsh([string] $Script) {
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script))
    Push-Location $script:RepoRoot
    try {
        $out = & dotnet pwsh -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ Output = $out; ExitCode = $LASTEXITCODE }
    } finally { Pop-Location }
}
