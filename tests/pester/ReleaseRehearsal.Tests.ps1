# examples/Invoke-ReleaseRehearsal.ps1 (the demo's Deployment step) on a sandbox of its own: a good release promoted by the
# canary, a broken one rolled back by it, and the Argo CD rollback to the previous tag with smoke tests and a notice.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-PrivateStateHome $TestHome
}

AfterAll {
    $env:REALESTATEOPS_STATE_HOME = $null
    Remove-IsolatedHome $script:TestHome
}

Describe 'examples/Invoke-ReleaseRehearsal.ps1 on the sandbox' {
    It 'promotes the good canary, rolls the broken one back, rolls Argo CD back to v1.1.0 with smoke tests and a notice, and exits 0' {
        $r = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$null = Start-OpsSandbox
try {
    Use-OpsContext sandbox
    & '$RepoRoot/examples/Invoke-ReleaseRehearsal.ps1'
    "exit `$LASTEXITCODE"
    Get-OpsJournal | Where-Object Command -in 'Step-Canary', 'Undo-ArgoApplication' | ForEach-Object { "journal: `$(`$_.Command) `$(`$_.Action) `$(`$_.Outcome)" }
} finally { Stop-OpsSandbox -Confirm:`$false }
"@
        $text = $r.Output -join "`n"
        $r.ExitCode | Should -Be 0 -Because $text
        $text | Should -Match 'exit 0'
        $text | Should -Match 'verdict: Promoted \(expected Promoted\)'
        $text | Should -Match 'verdict: RolledBack \(expected RolledBack\)'
        $text | Should -Match 'ArgoAutoSyncEnabled: .*rollback cannot be initiated when auto-sync is enabled'
        $text | Should -Match 'ToTag\s+: v1\.1\.0'
        $text | Should -Match '\[ops-slack\] .*Argo CD rollback of real-estate-ai to v1\.1\.0'
        $text | Should -Match 'journal: Undo-ArgoApplication Send Info notice .* Succeeded'
    }
}
