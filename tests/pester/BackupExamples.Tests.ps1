# The backup and recovery runbook scripts (examples/Backup-Database.ps1, examples/Restore-Database.ps1) run as an
# operator runs them, in a child pwsh against the sandbox: once clean, once with 20% injected throttling and 5xx.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:SharedPg = if ($env:REALESTATEOPS_TEST_PG_INFO -and (Test-Path $env:REALESTATEOPS_TEST_PG_INFO)) {
        (Get-Content -Raw $env:REALESTATEOPS_TEST_PG_INFO | ConvertFrom-Json).connectionString
    }
}

AfterAll { Remove-IsolatedHome $script:TestHome }

Describe 'examples/Backup-Database.ps1 and examples/Restore-Database.ps1 on the sandbox' {
    It 'end in the same state with 20% injected throttling and server errors as without' {
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 6)
        $r = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
`$env:REALESTATEOPS_SANDBOX_PG = '$SharedPg'
Import-Module '$ModuleManifest'
`$null = Start-OpsSandbox -Speed 200
try {
    Use-OpsContext sandbox
    `$control = @{ 'X-Sandbox-Token' = (Get-Content -Raw (Get-OpsSandbox).ControlTokenFile).Trim() }
    `$null = Invoke-RestMethod -Method Post "`$((Get-OpsSandbox).Url)_sandbox/rds/snapshots" -Headers `$control -ContentType 'application/json' -Body '{"count":400,"prefix":"list"}'
    foreach (`$run in 'clean', 'faulty') {
        if (`$run -eq 'faulty') { `$null = Set-OpsSandboxFault -ErrorRate 0.2 }
        & '$RepoRoot/examples/Backup-Database.ps1' -SnapshotId "`$run-$suffix" -Key "`$run-$suffix.dump"
        "`$run backup exit `$LASTEXITCODE"
        # The clean run also points the application at the restored instance (db-credentials secret, restarts).
        `$app = @{}
        if (`$run -eq 'clean') {
            `$ctx = Get-OpsContext
            `$password = (Get-Content `$ctx.DbPassFile | Select-Object -First 1).Split(':')[-1]
            `$app.AppCredential = [pscredential]::new(`$ctx.DbUser, (ConvertTo-SecureString `$password -AsPlainText -Force))
        }
        & '$RepoRoot/examples/Restore-Database.ps1' -SnapshotId "`$run-$suffix" -TargetInstanceId "`$run-restored-$suffix" -Force @app
        "`$run restore exit `$LASTEXITCODE"
        # Paging through 400 snapshots, 20 a page, under the same conditions.
        "LISTED `$run `$(@(Get-DbSnapshot 'list-*' -PageSize 20).Count)"
    }
    `$counts = Invoke-RestMethod "`$((Get-OpsSandbox).Url)_sandbox/requests" -Headers `$control
    Set-OpsSandboxFault -Reset
    "faults injected `$(`$counts.faultsInjected)"
    foreach (`$run in 'clean', 'faulty') {
        `$s = Get-DbSnapshot "`$run-$suffix"
        "STATE `$run snapshot `$(`$s.Status) `$(`$s.SnapshotType) `$(`$s.DbInstanceId)"
        `$i = Get-DbInstance "`$run-restored-$suffix"
        "STATE `$run instance `$(`$i.Status) `$(`$i.InstanceClass) `$(`$i.SubnetGroup) `$(`$i.VpcSecurityGroupIds -join ',') `$(`$i.ParameterGroup)"
        `$manual = @(Get-DbSnapshot -SnapshotType manual | Where-Object SnapshotId -like "`$run-*")
        "STATE `$run manual snapshots `$(`$manual.Count)"
        `$journal = @(Get-OpsJournal -Target "*`$run-$suffix*" | Where-Object Outcome -eq 'Succeeded')
        "STATE `$run journal `$((`$journal | ForEach-Object Command | Sort-Object) -join ',')"
    }
} finally { Stop-OpsSandbox -Confirm:`$false }
"@
        $text = $r.Output -join "`n"
        $r.ExitCode | Should -Be 0 -Because $text
        foreach ($run in 'clean', 'faulty') {
            $text | Should -Match "$run backup exit 0"
            $text | Should -Match "$run restore exit 0"
        }
        $text | Should -Match "APPLICATION POINTED AT clean-restored-$suffix"
        $text | Should -Match 'faults injected [1-9]'
        $text | Should -Match 'LISTED clean 400'
        $text | Should -Match 'LISTED faulty 400'
        $text | Should -Match 'EXPORT OK: s3://real-estate-ai-backups/clean-'
        $text | Should -Match 'EXPORT OK: s3://real-estate-ai-backups/faulty-'

        # Same state: the STATE lines of both runs are the same, and so are the restored row counts.
        $state = @{}
        foreach ($run in 'clean', 'faulty') {
            $state[$run] = ([regex]::Matches($text, "(?m)^STATE $run (.*)$") | ForEach-Object { $_.Groups[1].Value.Replace($suffix, '') }) -join "`n"
        }
        $state.clean | Should -Match 'snapshot available manual real-estate-ai-db'
        $state.clean | Should -Match 'instance available db.r6g.large real-estate-ai-db-subnets sg-0realestatedb0001 real-estate-ai-pg15'
        $state.clean | Should -Match 'manual snapshots 1'
        $state.faulty | Should -Be $state.clean
        $rows = [regex]::Matches($text, '(?m)^ROWS .*$') | ForEach-Object Value
        $rows.Count | Should -Be 10
        @($rows[0..4]) | Should -Be @($rows[5..9])
        $rows[2] | Should -Be 'ROWS proposals: 60'
    }
}
