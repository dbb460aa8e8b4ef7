BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $info = Get-Content -Raw $env:REALESTATEOPS_TEST_PG_INFO | ConvertFrom-Json
    $script:Pg = $info
    $script:OldNpgsql = Join-Path $env:REALESTATEOPS_NUGET_PACKAGES 'npgsql/8.0.5/lib/net8.0/Npgsql.dll'
}

AfterAll { Remove-IsolatedHome $script:TestHome }

Describe 'Assembly isolation' {
    It 'works when another Npgsql version was loaded into the session first' {
        Test-Path $OldNpgsql | Should -BeTrue
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$OldNpgsql'
`$first = [Npgsql.NpgsqlConnection].Assembly.GetName().Version.ToString()
Import-Module '$ModuleManifest'
`$pw = ConvertTo-SecureString '$($Pg.password)' -AsPlainText -Force
`$r = Test-DbConnection -HostName $($Pg.host) -Port $($Pg.port) -Database postgres -Credential ([pscredential]::new('$($Pg.user)', `$pw))
"session Npgsql `$first; status `$(`$r.Status) `$(`$r.Authenticated)"
[System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'RealEstateOps' | ForEach-Object { `$_.Assemblies.GetName() | Where-Object Name -eq 'Npgsql' | ForEach-Object { "module Npgsql `$(`$_.Version)" } }
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output | Should -Contain 'session Npgsql 8.0.5.0; status Accepting True'
        ($r.Output | Where-Object { $_ -like 'module Npgsql 10.*' }) | Should -Not -BeNullOrEmpty
    }

    It 'leaves what PowerShell ships (DiagnosticSource) to the default context, and keeps Npgsql its own' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$OldNpgsql'
Import-Module '$ModuleManifest'
`$pw = ConvertTo-SecureString '$($Pg.password)' -AsPlainText -Force
`$null = Test-DbConnection -HostName $($Pg.host) -Port $($Pg.port) -Database postgres -Credential ([pscredential]::new('$($Pg.user)', `$pw))
`$module = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'RealEstateOps'
`$shipped = [System.Diagnostics.ActivitySource].Assembly
`$resolved = `$module.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('System.Diagnostics.DiagnosticSource, Version=9.0.0.0'))
"resolved `$(`$resolved.Location -eq `$shipped.Location) `$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$resolved).Name)"
"module has DiagnosticSource `$(@(`$module.Assemblies.GetName().Name) -contains 'System.Diagnostics.DiagnosticSource')"
"module Npgsql `$((`$module.Assemblies.GetName() | Where-Object Name -eq 'Npgsql').Version.Major)"
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        Test-Path (Join-Path (Split-Path $ModuleManifest) 'dependencies/System.Diagnostics.DiagnosticSource.dll') | Should -BeTrue
        $r.Output | Should -Contain 'resolved True Default'
        $r.Output | Should -Contain 'module has DiagnosticSource False'
        $r.Output | Should -Contain 'module Npgsql 10'
    }

    It 'imports, removes and imports again in one session' {
        $r = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'; (Get-OpsContext).Name
Remove-Module RealEstateOps
Import-Module '$ModuleManifest'; (Get-OpsContext).ClusterName
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output | Should -Be @('default', 'real-estate-ai-cluster')
    }

    It 'loads nothing of the engine into the default load context' {
        $r = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'; `$null = Get-OpsContext
[System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies.GetName().Name | Where-Object { `$_ -in 'RealEstateOps.Engine', 'Npgsql', 'AWSSDK.Core' }
'done'
"@
        $r.Output | Should -Be @('done')
    }
}
