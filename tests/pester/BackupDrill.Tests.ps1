# The backup policy check and restore drills on the sandbox: Test-DbBackupPolicy against the runbook's policy and a context that
# changes it; Test-DbBackup of the newest snapshot (a scratch RDS instance) and of exports in S3 (scratch databases), passing, and
# failing when the export in S3 is corrupted (replaced with the real aws CLI, under Invoke-Client).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:SavedSandboxPg = $env:REALESTATEOPS_SANDBOX_PG
    Use-TestPostgres
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 600
    Use-OpsContext sandbox
    $script:Url = $Sandbox.Url
    Set-SandboxAwsEnvironment $Sandbox $TestHome
    $script:Prefix = 'drill-' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '/'
    $script:Bucket = (Get-OpsContext).BackupsBucket

    function script:Get-ScratchDatabases {
        $ctx = Get-OpsContext
        $password = (Get-Content $ctx.DbPassFile | Select-Object -First 1).Split(':')[-1]
        $env:PGPASSWORD = $password
        try { @(& psql -h $ctx.DbHost -p $ctx.DbPort -U $ctx.DbUser -d $ctx.DbName -At -c "select datname from pg_database where datname like 'reo_drill_%'") }
        finally { Remove-Item env:PGPASSWORD -ErrorAction Ignore }
    }
}

AfterAll {
    Use-OpsContext -Reset -ErrorAction Ignore
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Clear-SandboxAwsEnvironment
    if ($script:SavedSandboxPg) { $env:REALESTATEOPS_SANDBOX_PG = $script:SavedSandboxPg } else { Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore }
    Remove-IsolatedHome $script:TestHome
}

Describe 'Test-DbBackupPolicy' {
    It 'passes the seeded instance on the runbook''s policy, one verdict per point, and -Quiet says $true' {
        $report = Test-DbBackupPolicy
        $report.DbInstanceId | Should -Be 'real-estate-ai-db'
        $report.Checks.Point | Should -Be @('Retention', 'BackupWindow', 'TransactionLogs', 'CopyTagsToSnapshot', 'DeletionProtection', 'Encryption',
            'NewestAutomatedSnapshot', 'NewestManualSnapshot', 'NewestExport')
        ($report.Checks | Where-Object Point -eq 'Retention').Actual | Should -Be '14 days'
        $report.Verdict | Should -Be 'Pass' -Because ($report.Checks | Out-String)
        Test-DbBackupPolicy -Quiet | Should -BeTrue
    }

    It 'fails what the context tightens, a run''s parameter overrides it, and a bad window is refused with its id' {
        Set-OpsContext -Name sandbox -BackupRetentionDays 30 -BackupWindow '04:00-05:00' | Out-Null
        try {
            $report = Test-DbBackupPolicy
            $report.Verdict | Should -Be 'Fail'
            $report.FailedChecks | Should -Be @('Retention', 'BackupWindow')
            ($report.Checks | Where-Object Point -eq 'Retention').Expected | Should -Be '>= 30 days'
            (Test-DbBackupPolicy -RetentionDays 14 -BackupWindow '02:00-03:00').Verdict | Should -Be 'Pass'
            Test-DbBackupPolicy -Quiet | Should -BeFalse
            { Set-OpsContext -Name sandbox -BackupWindow '4-5' -ErrorAction Stop } | Should -Throw -ErrorId 'OpsContextValueInvalid,*'
            (Get-OpsContext sandbox).BackupWindow | Should -Be '04:00-05:00'
        }
        finally { Set-OpsContext -Name sandbox -Clear BackupRetentionDays, BackupWindow | Out-Null }
        (Test-DbBackupPolicy).Verdict | Should -Be 'Pass'
    }

    It 'reads well at 80 columns' {
        $text = Test-DbBackupPolicy | Out-String -Width 80
        $text | Should -Match 'real-estate-ai-db\s+PASS\s+14d\s+02:00-03:00'
        $lines = (Test-DbBackupPolicy).Checks | Out-String -Width 80
        $lines | Should -Match 'Retention\s+PASS\s+>= 14 days\s+14 days'
    }
}

Describe 'Test-DbBackup' {
    It 'restores the newest snapshot into a tagged scratch instance, passes, and deletes it; -WhatIf restores nothing' {
        $before = @(Get-DbInstance).Count
        Test-DbBackup -WhatIf | Should -BeNullOrEmpty
        @(Get-DbInstance).Count | Should -Be $before

        $result = Test-DbBackup -Timeout 5m
        $result.Passed | Should -BeTrue -Because ($result.Checks | Format-Table -AutoSize | Out-String -Width 200)
        $result.Kind | Should -Be 'Snapshot'
        $result.Scratch | Should -BeLike "drill-real-estate-ai-db-$($result.DrillId)"
        $result.ScratchRemoved | Should -BeTrue
        $scratch = Get-DbInstance | Where-Object DbInstanceId -eq $result.Scratch
        if ($scratch) { $scratch.Status | Should -Be 'deleting' }
        $entry = Get-OpsJournal -Within 1h | Where-Object Command -eq 'Test-DbBackup' | Select-Object -Last 1
        $entry.Outcome | Should -Be 'Succeeded'
        $entry.Target | Should -Be $result.Backup
    }

    It 'restores an export from S3 into a scratch database, matches the manifest''s row counts, and drops it' {
        $artifact = Export-Database -Destination "s3://$Bucket/$($Prefix)good.dump"
        $result = $artifact | Test-DbBackup
        $result.Passed | Should -BeTrue -Because ($result.Checks | Format-Table -AutoSize | Out-String -Width 200)
        $result.Kind | Should -Be 'Export'
        ($result.Checks | Where-Object Name -eq 'RowCounts').Verdict | Should -Be 'Pass'
        $result.RowsRestored | Should -Be $result.RowsExpected
        Get-ScratchDatabases | Should -Not -Contain "reo_drill_$($result.DrillId)"
        # -Export takes the newest export in the bucket: the one just written (its sidecar manifest is not an export).
        (Test-DbBackup -Export -ExportPrefix $Prefix).Backup | Should -Be "s3://$Bucket/$($Prefix)good.dump"
        # A parallel export (a prefix with its manifest written last) restores with its workers.
        $parallel = Export-Database -Destination "s3://$Bucket/$($Prefix)parallel" -Jobs 2
        $result = $parallel | Test-DbBackup
        $result.Passed | Should -BeTrue -Because ($result.Checks | Format-Table -AutoSize | Out-String -Width 200)
        $result.Backup | Should -Be "s3://$Bucket/$($Prefix)parallel"
        ($result.Checks | Where-Object Name -eq 'RowCounts').Verdict | Should -Be 'Pass'
        (Test-DbBackup -Export -ExportPrefix $Prefix).Backup | Should -Be "s3://$Bucket/$($Prefix)parallel"
    }

    It 'fails, with DbBackupDrillFailed and the restore''s checksum id, when the export in S3 was corrupted' {
        $key = "$($Prefix)corrupt.dump"
        Export-Database -Destination "s3://$Bucket/$key" | Out-Null
        $file = Join-Path $TestHome 'corrupt.dump'
        Invoke-Client /usr/bin/aws --profile sandbox --region us-east-1 --endpoint-url $Url s3 cp "s3://$Bucket/$key" $file --only-show-errors
        $LASTEXITCODE | Should -Be 0
        $bytes = [IO.File]::ReadAllBytes($file)
        for ($i = [int]($bytes.Length / 2); $i -lt [int]($bytes.Length / 2) + 64; $i++) { $bytes[$i] = $bytes[$i] -bxor 0x5a }
        [IO.File]::WriteAllBytes($file, $bytes)
        Invoke-Client /usr/bin/aws --profile sandbox --region us-east-1 --endpoint-url $Url s3 cp $file "s3://$Bucket/$key" --only-show-errors
        $LASTEXITCODE | Should -Be 0

        $err = $null
        $result = Test-DbBackup -Path "s3://$Bucket/$key" -ErrorVariable err -ErrorAction SilentlyContinue
        $result.Passed | Should -BeFalse
        ($result.Checks | Where-Object Name -eq 'Restore').ErrorId | Should -Be 'BackupChecksumMismatch'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DbBackupDrillFailed,*'
        $result.ScratchRemoved | Should -BeTrue
        Get-ScratchDatabases | Should -Not -Contain "reo_drill_$($result.DrillId)"
        (Get-OpsJournal -Within 1h | Where-Object Command -eq 'Test-DbBackup' | Select-Object -Last 1).Outcome | Should -Be 'Failed'
    }

    It 'says what is missing: no snapshot, no export, a bad path' {
        { Test-DbBackup -DbSnapshotIdentifier 'no-such-snapshot' -ErrorAction Stop } | Should -Throw -ErrorId 'DBSnapshotNotFound,*'
        { Test-DbBackup -Export -ExportPrefix 'nothing-here/' -ErrorAction Stop } | Should -Throw -ErrorId 'DbBackupNotFound,*'
        { Test-DbBackup -Path 'https://example.com/x.dump' -ErrorAction Stop } | Should -Throw -ErrorId 'BackupLocationInvalid,*'
    }
}
