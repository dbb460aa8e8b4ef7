BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-PrivateStateHome $TestHome
}

AfterAll { Remove-IsolatedHome $script:TestHome }

Describe 'examples/Test-Platform.ps1 on the sandbox' {
    It 'reports the sandbox database ready, formatted, and exits 0' {
        # The sandbox starts its own PostgreSQL here, as it does for an operator.
        $r = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$null = Start-OpsSandbox
try {
    Use-OpsContext sandbox
    & '$RepoRoot/examples/Test-Platform.ps1'
    "exit `$LASTEXITCODE"
} finally { Stop-OpsSandbox -Confirm:`$false }
"@
        $text = $r.Output -join "`n"
        $r.ExitCode | Should -Be 0 -Because $text
        $text | Should -Match 'STATUS\s+HOST\s+PORT\s+DATABASE'
        $text | Should -Match 'Accepting\s+127\.0\.0\.1'
        $text | Should -Match 'READY: PostgreSQL \d+'
        $text | Should -Match 'exit 0'
    }

    It 'exits 1 and says why when the database is down' {
        $r = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'
Set-OpsContext -Name down -DbHost 127.0.0.1 -DbPort 1 -DbUser nobody
& '$RepoRoot/examples/Test-Platform.ps1' -Context down -Timeout 2
"@
        $r.ExitCode | Should -Be 1
        ($r.Output -join "`n") | Should -Match 'NOT READY: NoResponse DbConnectionRefused'
    }
}

Describe 'Journal under concurrent writers' {
    It 'keeps every entry whole when two scripts write at once' {
        $jobs = 1..2 | ForEach-Object {
            $n = $_
            Start-Job -ScriptBlock {
                param($manifest, $n)
                Import-Module $manifest
                1..40 | ForEach-Object { Set-OpsContext -Name "job$n-$_" -Description ('x' * 2000) }
            } -ArgumentList $ModuleManifest, $n
        }
        $jobs | Wait-Job -Timeout 300 | Receive-Job -ErrorAction Stop | Out-Null
        $jobs | Remove-Job -Force
        Import-Module $ModuleManifest -Force
        $entries = Get-OpsJournal -Command Set-OpsContext -Target 'job*'
        $entries.Count | Should -Be 80
        ($entries | Group-Object { $_.Target.Split('-')[0] }).Count | Should -Be 2
        (Get-Content (Join-Path $env:REALESTATEOPS_DATA_HOME 'journal.jsonl') | Where-Object { $_ -like '*"Target":"job*' }).Count | Should -Be 80
    }
}
