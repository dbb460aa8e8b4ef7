# Point-in-time recovery end to end, on a sandbox with its OWN PostgreSQL server (WAL archiving, base backups, a recovery server):
# rows deleted from a platform table come back in an instance restored to a minute before the delete; -UseLatestRestorableTime;
# a time outside the restorable window is refused before any change; automated snapshots appear at the backup window as the
# clock passes it and expire after the retention. The real aws CLI against the new operations, each call under Invoke-Client.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    # Not Use-TestPostgres: point-in-time recovery replays the WAL of a server the sandbox runs itself.
    $script:SavedSandboxPg = $env:REALESTATEOPS_SANDBOX_PG
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 60
    Use-OpsContext sandbox
    $script:Ctx = Get-OpsContext sandbox
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox
    Set-SandboxAwsEnvironment $Sandbox $TestHome
    $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
    $script:Password = (Get-Content $Ctx.DbPassFile | Select-Object -First 1).Split(':')[-1]
    $script:Psql = @(Get-ChildItem /usr/lib/postgresql/*/bin/psql -ErrorAction Ignore | Sort-Object FullName -Descending | ForEach-Object FullName) +
        @((Get-Command psql -ErrorAction Ignore).Source) | Where-Object { $_ } | Select-Object -First 1

    # One value from a database of the sandbox's server, through psql as the application user (the restored databases' owner).
    function script:Invoke-Sql([string] $Sql, [string] $Database = $Ctx.DbName) {
        $env:PGPASSWORD = $script:Password
        try { ((Invoke-Client $script:Psql -X -w -h $Ctx.DbHost -p $Ctx.DbPort -U $Ctx.DbUser -d $Database -tAc $Sql 2>&1) -join "`n").Trim() }
        finally { Remove-Item env:PGPASSWORD -ErrorAction Ignore }
    }
    # The sandbox's own time (its clock runs faster than real time).
    function script:Get-SandboxNow {
        $raw = (Invoke-WebRequest "$script:Url/_sandbox/clock" -Headers $script:Control).Content
        [DateTimeOffset]::Parse([regex]::Match($raw, '"now"\s*:\s*"([^"]+)"').Groups[1].Value, [Globalization.CultureInfo]::InvariantCulture)
    }
    function script:Get-RequestCount([string] $Operation) {
        $counts = Invoke-RestMethod "$script:Url/_sandbox/requests" -Headers $script:Control
        $n = 0
        foreach ($p in $counts.operations.PSObject.Properties) { if ($p.Name -like "*$Operation") { $n += [int]$p.Value } }
        $n
    }
}

AfterAll {
    Use-OpsContext -Reset -ErrorAction Ignore
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Clear-SandboxAwsEnvironment
    if ($script:SavedSandboxPg) { $env:REALESTATEOPS_SANDBOX_PG = $script:SavedSandboxPg }
    Remove-IsolatedHome $script:TestHome
}

Describe 'Get-DbInstance shows the backup policy and the restorable window' {
    It 'the platform instance: 14 days, 02:00-03:00, encrypted, a window from its oldest automated snapshot to a few minutes ago' {
        $i = Get-DbInstance real-estate-ai-db
        $i.BackupRetentionPeriod | Should -Be 14
        $i.PreferredBackupWindow | Should -Be '02:00-03:00'
        $i.StorageEncrypted | Should -BeTrue
        $i.KmsKeyId | Should -Match '^arn:aws:kms:'
        $oldest = Get-DbSnapshot -DbInstanceId real-estate-ai-db -SnapshotType automated | Sort-Object SnapshotCreateTime | Select-Object -First 1
        $i.EarliestRestorableTime | Should -Be $oldest.SnapshotCreateTime
        $oldest.Encrypted | Should -BeTrue   # a snapshot of an encrypted instance is encrypted
        $now = Get-SandboxNow
        $i.LatestRestorableTime | Should -BeLessThan $now
        $i.LatestRestorableTime | Should -BeGreaterThan $now.AddMinutes(-15)
    }
}

Describe 'Restore-Database -ToTime: deleted rows come back from the WAL' {
    BeforeAll {
        # Rows of a platform table, deleted now; the restore goes to a minute before the delete.
        $script:Ids = @((Invoke-Sql "select id from chat_sessions order by id limit 5") -split "`n" | Where-Object { $_ })
        $script:Ids.Count | Should -Be 5
        $script:IdList = ($Ids | ForEach-Object { "'$_'" }) -join ','
        $script:DeletedAt = Get-SandboxNow
        Invoke-Sql "delete from chat_sessions where id in ($IdList)" | Should -Be 'DELETE 5'
        $script:Target = "pitr-$Suffix"
    }

    It 'restores to a minute before the delete: the new instance has the rows, the source still lacks them' {
        $at = $DeletedAt.AddMinutes(-1)
        # The latest restorable time trails the clock by five minutes.
        Wait-Until { (Get-DbInstance real-estate-ai-db).LatestRestorableTime -ge $DeletedAt } 60 | Should -BeTrue
        $restored = Restore-Database -ToTime $at.LocalDateTime -TargetInstanceId $Target -Wait -Timeout 10m -Confirm:$false
        $restored.DbInstanceId | Should -Be $Target
        $restored.Status | Should -Be 'available'
        $restored.VpcSecurityGroupIds | Should -Be (Get-DbInstance real-estate-ai-db).VpcSecurityGroupIds   # copied from the source
        Invoke-Sql "select count(*) from chat_sessions where id in ($IdList)" -Database $restored.DbName | Should -Be '5'
        Invoke-Sql "select count(*) from chat_sessions where id in ($IdList)" | Should -Be '0'
        $entry = Get-OpsJournal -Newest 20 | Where-Object { $_.Target -eq $Target } | Select-Object -Last 1
        "$($entry.Outcome)" | Should -Be 'Succeeded'
        $entry.Action | Should -Match ([regex]::Escape($at.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss')) + ' UTC')
    }

    It '-UseLatestRestorableTime restores the source as it is now (the rows deleted), piped from Get-DbInstance' {
        $latest = "pitr-latest-$Suffix"
        $restored = Get-DbInstance real-estate-ai-db | Restore-Database -UseLatestRestorableTime -TargetInstanceId $latest -Wait -Timeout 10m -Confirm:$false
        $restored.Status | Should -Be 'available'
        Invoke-Sql "select count(*) from chat_sessions where id in ($IdList)" -Database $restored.DbName | Should -Be '0'
        Invoke-Sql "select count(*) from chat_sessions" -Database $restored.DbName | Should -Be (Invoke-Sql "select count(*) from chat_sessions")
    }

    It 'a time outside the window is refused with DbRestoreTimeOutsideWindow before any change call, and nothing is created' {
        $before = Get-RequestCount 'RestoreDBInstanceToPointInTime'
        $window = Get-DbInstance real-estate-ai-db
        foreach ($at in $window.EarliestRestorableTime.AddDays(-1), (Get-SandboxNow).AddHours(1)) {
            $err = $null
            Restore-Database -ToTime $at.UtcDateTime -TargetInstanceId "pitr-out-$Suffix" -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
            $err[0].FullyQualifiedErrorId | Should -BeLike 'DbRestoreTimeOutsideWindow,*'
            $err[0].Exception.Message | Should -Match 'outside the restorable window'
            $err[0].Exception.Message | Should -Match ([regex]::Escape($window.EarliestRestorableTime.UtcDateTime.ToString('yyyy-MM-dd HH:mm:ss')))
        }
        Get-RequestCount 'RestoreDBInstanceToPointInTime' | Should -Be $before
        Get-DbInstance "pitr-out-$Suffix" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It '-WhatIf makes no RestoreDBInstanceToPointInTime request' {
        $before = Get-RequestCount 'RestoreDBInstanceToPointInTime'
        Restore-Database -UseLatestRestorableTime -TargetInstanceId "pitr-whatif-$Suffix" -WhatIf | Should -BeNullOrEmpty
        Get-RequestCount 'RestoreDBInstanceToPointInTime' | Should -Be $before
    }
}

Describe 'aws rds (conformance) against the point-in-time operations' {
    It 'describe-db-instances gives LatestRestorableTime and the backup settings' {
        $i = (Invoke-SandboxAws -Url $Url rds describe-db-instances --db-instance-identifier real-estate-ai-db).DBInstances[0]
        $i.LatestRestorableTime | Should -Not -BeNullOrEmpty
        $i.BackupRetentionPeriod | Should -Be 14
        $i.PreferredBackupWindow | Should -Be '02:00-03:00'
        $i.StorageEncrypted | Should -BeTrue
    }

    It 'describe-db-instance-automated-backups gives the restore window; an unknown instance is DBInstanceAutomatedBackupNotFound' {
        $b = (Invoke-SandboxAws -Url $Url rds describe-db-instance-automated-backups --db-instance-identifier real-estate-ai-db).DBInstanceAutomatedBackups
        @($b).Count | Should -Be 1
        $b[0].Status | Should -Be 'active'
        $b[0].RestoreWindow.EarliestTime | Should -Not -BeNullOrEmpty
        $b[0].RestoreWindow.LatestTime | Should -Not -BeNullOrEmpty
        $b[0].BackupRetentionPeriod | Should -Be 14
        { Invoke-SandboxAws -Url $Url rds describe-db-instance-automated-backups --db-instance-identifier "no-such-$Suffix" } |
            Should -Throw -ExpectedMessage '*DBInstanceAutomatedBackupNotFound*'
    }

    It 'restore-db-instance-to-point-in-time creates the instance; a time outside the window is InvalidRestoreFault' {
        $target = "pitr-cli-$Suffix"
        $r = Invoke-SandboxAws -Url $Url rds restore-db-instance-to-point-in-time --source-db-instance-identifier real-estate-ai-db `
            --target-db-instance-identifier $target --use-latest-restorable-time
        $r.DBInstance.DBInstanceIdentifier | Should -Be $target
        $r.DBInstance.DBInstanceStatus | Should -Be 'creating'
        { Invoke-SandboxAws -Url $Url rds restore-db-instance-to-point-in-time --source-db-instance-identifier real-estate-ai-db `
            --target-db-instance-identifier "pitr-cli2-$Suffix" --restore-time 2001-01-01T00:00:00Z } |
            Should -Throw -ExpectedMessage '*InvalidRestoreFault*not within the restorable window*'
        Wait-Until { (Get-DbInstance $target).Status -eq 'available' } 120 | Should -BeTrue
    }
}

Describe 'Automated backups on the sandbox clock' {
    It 'the backup window''s automated snapshot appears as the clock passes it, and snapshots older than the retention expire' {
        $restored = Get-DbInstance "pitr-$Suffix"
        $restored.BackupRetentionPeriod | Should -Be 1
        $initial = @(Get-DbSnapshot -DbInstanceId $restored.DbInstanceId -SnapshotType automated)
        $initial.Count | Should -Be 1   # RDS's initial backup of a new instance
        $now = Get-SandboxNow
        $window = [DateTimeOffset]::new($now.UtcDateTime.Date, [TimeSpan]::Zero).AddHours(2)
        if ($window -le $now) { $window = $window.AddDays(1) }
        $expected = "rds:real-estate-ai-db-$($window.AddMinutes(4).UtcDateTime.ToString('yyyy-MM-dd-HH-mm'))"
        Get-DbSnapshot -SnapshotId $expected -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Set-OpsSandboxClock -Speed 5000 -Confirm:$false | Out-Null
        try {
            # The daily snapshot of the window; the restored instance's initial one goes once a day (its retention) has passed.
            Wait-Until { Get-DbSnapshot -SnapshotId $expected -ErrorAction SilentlyContinue } 90 | Should -Not -BeNullOrEmpty
            Wait-Until { -not (Get-DbSnapshot -SnapshotId $initial[0].SnapshotId -ErrorAction SilentlyContinue) } 90 | Should -BeTrue
        } finally {
            Set-OpsSandboxClock -Speed 60 -Confirm:$false | Out-Null
        }
        $snapshot = Get-DbSnapshot -SnapshotId $expected
        $snapshot.SnapshotType | Should -Be 'automated'
        $snapshot.SnapshotCreateTime | Should -Be $window.AddMinutes(4)
        Wait-Until { (Get-DbSnapshot -SnapshotId $expected).Status -eq 'available' } 60 | Should -BeTrue
        (Get-DbInstance $restored.DbInstanceId).EarliestRestorableTime | Should -BeGreaterThan $initial[0].SnapshotCreateTime
    }
}
