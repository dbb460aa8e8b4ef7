# The package (build.ps1 -Task Package) from a local file repository. Every child session runs with HOME in
# this file's temporary folder, so the repositories it registers (PowerShellGet's PSRepositories.xml under
# ~/.cache/powershell, PSResourceGet's PSResourceRepository.xml under ~/.local/share) and what it installs
# never land in the real user's settings or module folder.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Nupkg = Get-ChildItem (Join-Path $RepoRoot 'out/package') -Filter 'RealEstateOps.*.nupkg' -ErrorAction Ignore | Select-Object -First 1
    $script:DotnetCliHome = if ($env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME } else { [Environment]::GetFolderPath('UserProfile') }

    # The real user's repository settings, and what they hold before this file runs.
    $cache = if ($env:XDG_CACHE_HOME) { $env:XDG_CACHE_HOME } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.cache' }
    $script:RealSettings = @(
        Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        Join-Path $cache 'powershell/PowerShellGet/PSRepositories.xml'
    )
    function script:Get-SettingsState { foreach ($f in $RealSettings) { if (Test-Path $f) { "$f $((Get-FileHash $f).Hash) $((Get-Item $f).LastWriteTimeUtc.Ticks)" } else { "$f absent" } } }
    $script:SettingsBefore = @(Get-SettingsState)

    # A child pwsh whose HOME is $HomeDir (its XDG folders follow it).
    function script:Invoke-ChildPwshAtHome([string] $HomeDir, [string] $Script) {
        $vars = @{ HOME = $HomeDir; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null; PSModulePath = $null
            DOTNET_CLI_HOME = $DotnetCliHome }   # where 'dotnet pwsh' finds the restored local tool
        $saved = @{}
        foreach ($k in $vars.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $vars[$k]) }
        try { Invoke-ChildPwsh $Script } finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
    }

    function script:New-TestFolder([string] $Name) {
        $path = Join-Path $TestHome $Name
        New-Item -ItemType Directory $path | Out-Null
        $path
    }
}

AfterAll { Remove-IsolatedHome $script:TestHome }

Describe 'Package' {
    It 'is saved by PowerShellGet''s Save-Module from a local file repository' {
        $Nupkg | Should -Not -BeNullOrEmpty
        $h = New-TestFolder 'home-save-module'
        $repoDir = New-TestFolder 'repo-save-module'
        $saveDir = New-TestFolder 'saved-save-module'
        Copy-Item $Nupkg.FullName $repoDir
        $name = 'reo-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        $r = Invoke-ChildPwshAtHome $h @"
`$ErrorActionPreference = 'Stop'
Register-PSRepository -Name $name -SourceLocation '$repoDir' -InstallationPolicy Trusted
try {
    Save-Module -Name RealEstateOps -Repository $name -Path '$saveDir'
    (Import-PowerShellDataFile (Get-ChildItem '$saveDir' -Recurse -Filter RealEstateOps.psd1 | Select-Object -First 1).FullName).ModuleVersion
} finally { Unregister-PSRepository -Name $name }
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output | Select-Object -Last 1 | Should -Be (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
        Test-Path (Join-Path $saveDir 'RealEstateOps/*/dependencies/RealEstateOps.Engine.dll') | Should -BeTrue
        Join-Path $h '.cache/powershell/PowerShellGet/PSRepositories.xml' | Should -Exist -Because 'the repository was registered in the test''s HOME'
    }

    It 'is a module package that PSResourceGet saves from a local repository and that imports' {
        $Nupkg | Should -Not -BeNullOrEmpty -Because 'build.ps1 -Task Test packs the module first'
        $h = New-TestFolder 'home-save-psresource'
        $repoDir = New-TestFolder 'repo-save-psresource'
        $saveDir = New-TestFolder 'saved-save-psresource'
        Copy-Item $Nupkg.FullName $repoDir
        $r = Invoke-ChildPwshAtHome $h @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name reo-local -Uri '$repoDir' -Trusted -Force
try {
    Save-PSResource -Name RealEstateOps -Repository reo-local -Path '$saveDir' -TrustRepository -SkipDependencyCheck
    Import-Module (Get-ChildItem '$saveDir' -Recurse -Filter RealEstateOps.psd1 | Select-Object -First 1).FullName
    (Get-Command -Module RealEstateOps -CommandType Cmdlet).Count
} finally { Unregister-PSResourceRepository -Name reo-local }
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        [int]($r.Output | Select-Object -Last 1) | Should -Be (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport.Count
        Join-Path $h '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -Exist -Because 'the repository was registered in the test''s HOME'
    }

    It 'installs with Install-PSResource for the user, and imports by name from another directory' {
        $Nupkg | Should -Not -BeNullOrEmpty
        $h = New-TestFolder 'home-install-psresource'
        $repoDir = New-TestFolder 'repo-install-psresource'
        Copy-Item $Nupkg.FullName $repoDir
        $version = (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
        $r = Invoke-ChildPwshAtHome $h @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name reo-local -Uri '$repoDir' -Trusted -Force
Install-PSResource -Name RealEstateOps -Repository reo-local -Scope CurrentUser -TrustRepository
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r = Invoke-ChildPwshAtHome $h @"
`$ErrorActionPreference = 'Stop'
Set-Location '$h'
Import-Module RealEstateOps
(Get-Module RealEstateOps).Version.ToString()
(Get-Module RealEstateOps).ModuleBase
(Get-Command -Module RealEstateOps -CommandType Cmdlet).Count
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output[-3] | Should -Be $version
        $r.Output[-2] | Should -Be (Join-Path $h ".local/share/powershell/Modules/RealEstateOps/$version")
        [int]$r.Output[-1] | Should -Be (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport.Count
    }

    It 'left the real user''s repository settings as they were' {
        @(Get-SettingsState) | Should -Be $SettingsBefore
        foreach ($f in $RealSettings) { if (Test-Path $f) { Get-Content -Raw $f | Should -Not -Match 'reo-local' } }
    }
}
