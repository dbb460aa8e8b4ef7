# examples/Invoke-IncidentRehearsal.ps1 (the demo's Incident response step) on a sandbox of its own with a PostgreSQL server of
# its own (the fault fills it and the reboot restarts it, which the test run's shared server must never see): exhausted
# connections, a SEV2 incident, the triage, the fix, the post-mortem.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-PrivateStateHome $TestHome
}

AfterAll {
    $env:REALESTATEOPS_STATE_HOME = $null
    Remove-IsolatedHome $script:TestHome
}

Describe 'examples/Invoke-IncidentRehearsal.ps1 on the sandbox' {
    It 'opens a SEV2 incident, triages the connection limit, fixes it with Set-DbParameter and a reboot, and lists every step in the post-mortem' {
        $out = Join-Path $TestHome 'postmortems'
        $null = New-Item -ItemType Directory -Path $out
        $r = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
Import-Module '$ModuleManifest'
`$null = Start-OpsSandbox
try {
    Use-OpsContext sandbox
    & '$RepoRoot/examples/Invoke-IncidentRehearsal.ps1' -OutputFolder '$out'
    "exit `$LASTEXITCODE"
    Get-OpsJournal -Within 1h | Where-Object Command -in 'Set-DbParameter', 'Restart-DbInstance', 'Invoke-IncidentTriage' | ForEach-Object { "journal: `$(`$_.Command) `$(`$_.IncidentId) `$(`$_.Outcome)" }
    `$pd = Invoke-RestMethod ((Get-OpsSandbox).Url.TrimEnd('/') + '/_sandbox/notifications') -Headers @{ Authorization = 'Bearer ' + (Get-Content -Raw (Get-OpsSandbox).ControlTokenFile).Trim() }
    `$pd | ConvertTo-Json -Depth 8 -Compress | ForEach-Object { "notifications: `$_" }
} finally { Stop-OpsSandbox -Confirm:`$false }
"@
        $text = $r.Output -join "`n"
        $r.ExitCode | Should -Be 0 -Because $text
        $text | Should -Match 'exit 0'
        $text | Should -Match 'ok   triage found the connection limit'
        $text | Should -Match 'Set-DbParameter -DbInstanceId real-estate-ai-db -Name max_connections -Value 400 '
        $text | Should -Match 'ok   the app''s credentials log in again'
        $text | Should -Match 'journal: Set-DbParameter INC-\S+ Succeeded'
        $text | Should -Match 'journal: Restart-DbInstance INC-\S+ Succeeded'
        $text | Should -Not -MatchExactly 'FAIL '
        $file = Get-ChildItem $out -Filter 'INC-*.md' | Select-Object -First 1
        $file | Should -Not -BeNullOrEmpty
        [IO.File]::GetUnixFileMode($file.FullName) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $md = Get-Content -Raw $file.FullName
        $md | Should -Match 'Set-DbParameter'
        $md | Should -Match 'Triage DatabaseConnection / Connections'
        $md | Should -Match '## Root cause'
        $text | Should -Match 'notifications: .*INC-'
    }
}
