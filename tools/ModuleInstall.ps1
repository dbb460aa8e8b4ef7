<#
.SYNOPSIS
    Installs the built module (out/RealEstateOps) where PowerShell finds it by name, and uninstalls it.
    Dot-sourced by build.ps1 (-Task Install / Uninstall) and by tests/pester/Install.Tests.ps1, which
    points HOME at a temporary folder. Defining these functions runs nothing.
#>

# The module folder PowerShell itself puts on PSModulePath for a scope: the system pwsh and the pinned
# 'dotnet pwsh' both search these (the user's from LocalApplicationData, i.e. $XDG_DATA_HOME or ~/.local/share).
function Get-OpsModuleRoot {
    param([ValidateSet('CurrentUser', 'AllUsers')] [string] $Scope = 'CurrentUser')
    if ($Scope -eq 'AllUsers') {
        if ($IsWindows) { return (Join-Path $env:ProgramFiles 'PowerShell/Modules') }
        return '/usr/local/share/powershell/Modules'
    }
    if ($IsWindows) { return (Join-Path ([Environment]::GetFolderPath('MyDocuments')) 'PowerShell/Modules') }
    $data = [Environment]::GetFolderPath('LocalApplicationData')
    if (-not $data) { throw 'Cannot find the user''s module folder: neither XDG_DATA_HOME nor HOME is set.' }
    Join-Path $data 'powershell/Modules'
}

# Copies the built module into <root>/RealEstateOps/<ModuleVersion>. The copy goes to a temporary sibling
# first; an existing install of the same version is replaced only once the copy is complete.
function Install-OpsModule {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [ValidateSet('CurrentUser', 'AllUsers')] [string] $Scope = 'CurrentUser',
        # Overrides the scope's folder (tests).
        [string] $Destination
    )
    $manifestPath = Join-Path $ModulePath 'RealEstateOps.psd1'
    if (-not (Test-Path $manifestPath)) { throw "No built module at '$ModulePath' (run build.ps1 -Task Build first)." }
    $version = (Import-PowerShellDataFile $manifestPath).ModuleVersion
    $root = if ($Destination) { $Destination } else { Get-OpsModuleRoot -Scope $Scope }
    $parent = Join-Path $root 'RealEstateOps'
    $target = Join-Path $parent $version
    $suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
    $staging = Join-Path $parent ".$version.installing-$suffix"
    $previous = Join-Path $parent ".$version.previous-$suffix"
    try {
        New-Item -ItemType Directory -Force $parent -ErrorAction Stop | Out-Null
        New-Item -ItemType Directory $staging -ErrorAction Stop | Out-Null
    }
    catch [UnauthorizedAccessException], [System.IO.IOException] {
        $how = if ($Scope -eq 'AllUsers' -and -not $Destination) { ' Installing for all users needs root: run it with sudo.' } else { '' }
        throw "Cannot write to '$parent': $($_.Exception.Message)$how"
    }
    try {
        Copy-Item -Path (Join-Path $ModulePath '*') -Destination $staging -Recurse -Force -ErrorAction Stop
        $expected = @(Get-ChildItem $ModulePath -Recurse -File).Count
        $copied = @(Get-ChildItem $staging -Recurse -File).Count
        if ($copied -ne $expected) { throw "copied $copied of $expected files" }
        if (Test-Path $target) {
            Move-Item $target $previous -ErrorAction Stop
            try { Move-Item $staging $target -ErrorAction Stop }
            catch { Move-Item $previous $target; throw }
            Remove-Item $previous -Recurse -Force -ErrorAction Ignore
        } else {
            Move-Item $staging $target -ErrorAction Stop
        }
    }
    catch {
        if (Test-Path $staging) { Remove-Item $staging -Recurse -Force -ErrorAction Ignore }
        throw "Installing RealEstateOps $version into '$target' failed: $($_.Exception.Message)"
    }
    Write-Host "Installed RealEstateOps $version into $target"
    Get-Item $target
}

# Removes installed versions (all, or -Version) from a scope's folder: only folders holding our own manifest.
function Uninstall-OpsModule {
    [CmdletBinding()]
    param(
        [ValidateSet('CurrentUser', 'AllUsers')] [string] $Scope = 'CurrentUser',
        [string] $Version,
        [string] $Destination
    )
    $guid = '6f2d3c1e-8a4b-4f5e-9c7d-2b1a0e9f8d71'
    $root = if ($Destination) { $Destination } else { Get-OpsModuleRoot -Scope $Scope }
    $parent = Join-Path $root 'RealEstateOps'
    if (-not (Test-Path $parent -PathType Container)) { Write-Host "RealEstateOps is not installed in $root"; return }
    $removed = 0
    foreach ($dir in Get-ChildItem $parent -Directory) {
        if ($Version -and $dir.Name -ne $Version) { continue }
        $manifest = Join-Path $dir.FullName 'RealEstateOps.psd1'
        if (-not (Test-Path $manifest)) { continue }
        $data = Import-PowerShellDataFile $manifest
        if ($data.GUID -ne $guid) { continue }
        Remove-Item $dir.FullName -Recurse -Force
        Write-Host "Removed $($dir.FullName)"
        $removed++
    }
    if (-not (Get-ChildItem $parent -Force)) { Remove-Item $parent }
    if ($removed -eq 0) { Write-Host "No RealEstateOps$(if ($Version) { " $Version" }) found in $parent" }
}
