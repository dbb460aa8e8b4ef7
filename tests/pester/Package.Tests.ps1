BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Nupkg = Get-ChildItem (Join-Path $RepoRoot 'out/package') -Filter 'RealEstateOps.*.nupkg' -ErrorAction Ignore | Select-Object -First 1
}

Describe 'Package' {
    It 'is saved by PowerShellGet''s Save-Module from a local file repository' {
        $Nupkg | Should -Not -BeNullOrEmpty
        $repoDir = Join-Path ([IO.Path]::GetTempPath()) ('reo-repo-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $saveDir = "$repoDir-saved"
        New-Item -ItemType Directory $repoDir, $saveDir | Out-Null
        try {
            Copy-Item $Nupkg.FullName $repoDir
            $name = 'reo-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
            $r = Invoke-ChildPwsh @"
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
        }
        finally {
            Remove-Item $repoDir, $saveDir -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'is a module package that PSResourceGet saves from a local repository and that imports' {
        $Nupkg | Should -Not -BeNullOrEmpty -Because 'build.ps1 -Task Test packs the module first'
        $repoDir = Join-Path ([IO.Path]::GetTempPath()) ('reo-repo-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $saveDir = "$repoDir-saved"
        New-Item -ItemType Directory $repoDir, $saveDir | Out-Null
        try {
            Copy-Item $Nupkg.FullName $repoDir
            $r = Invoke-ChildPwsh @"
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
        }
        finally {
            Remove-Item $repoDir, $saveDir -Recurse -Force -ErrorAction Ignore
        }
    }
}
