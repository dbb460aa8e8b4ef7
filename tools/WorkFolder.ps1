<#
.SYNOPSIS
    Temporary folders the build tasks own (random name, marker file) and an environment isolated in one, so
    a task never touches the operator's own contexts, journal or sandbox. Dot-sourced by build.ps1 and by
    tests/pester/Install.Tests.ps1. Defining these functions runs nothing.
#>

# A folder of our own under the temp folder: random name and a marker file, so that only it is ever removed.
function New-WorkFolder([string] $Prefix) {
    $path = Join-Path ([IO.Path]::GetTempPath()) ($Prefix + [guid]::NewGuid().ToString('N').Substring(0, 12))
    New-Item -ItemType Directory $path | Out-Null
    if (-not $IsWindows) { chmod 700 $path }
    $marker = [guid]::NewGuid().ToString('N')
    Set-Content -LiteralPath (Join-Path $path '.realestateops-work') -Value $marker -NoNewline
    [pscustomobject]@{ Path = $path; Marker = $marker }
}

function Remove-WorkFolder($Folder) {
    $markerFile = Join-Path $Folder.Path '.realestateops-work'
    $item = Get-Item -LiteralPath $Folder.Path -Force -ErrorAction Ignore
    if (-not $item -or $item.LinkType -or -not (Test-Path -LiteralPath $markerFile -PathType Leaf) -or
        (Get-Content -LiteralPath $markerFile -Raw) -ne $Folder.Marker) {
        Write-Warning "Not removing '$($Folder.Path)': it is not the folder this run created."
        return
    }
    Remove-Item -LiteralPath $Folder.Path -Recurse -Force -ErrorAction Ignore
}

# Runs $Body with the module's contexts, journal and sandbox state in $Folder, then restores the environment.
function Invoke-Isolated($Folder, [hashtable] $Extra, [scriptblock] $Body) {
    $isolated = @{
        REALESTATEOPS_CONFIG_HOME = Join-Path $Folder.Path 'config'
        REALESTATEOPS_DATA_HOME   = Join-Path $Folder.Path 'data'
        REALESTATEOPS_STATE_HOME  = Join-Path $Folder.Path 'state'
        REALESTATEOPS_CONTEXT     = $null
        REALESTATEOPS_JOURNAL     = $null
        REALESTATEOPS_SANDBOX_PG  = $null
    }
    if ($Extra) { foreach ($k in $Extra.Keys) { $isolated[$k] = $Extra[$k] } }
    $saved = @{}
    foreach ($k in $isolated.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $isolated[$k]) }
    try { & $Body }
    finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
}
