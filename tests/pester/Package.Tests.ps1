BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Nupkg = Get-ChildItem (Join-Path $RepoRoot 'out/package') -Filter 'RealEstateOps.*.nupkg' -ErrorAction Ignore | Select-Object -First 1
}

Describe 'Package' {
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
