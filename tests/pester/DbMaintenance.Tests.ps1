# Invoke-DbMaintenance and Invoke-DbPendingMaintenance on the sandbox: refused outside the Database window when the context enforces
# it, -WhatIf runs nothing, a real VACUUM clears dead tuples, REINDEX CONCURRENTLY rebuilds an index, and a minor engine upgrade
# applied now moves the instance on the sandbox clock. The table this file makes carries its marker and is the only one it drops.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-TestPostgres
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 300
    Use-OpsContext sandbox
    $script:Ctx = Get-OpsContext sandbox
    $script:Table = 'dbh_churn_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $script:Marker = 'realestateops-test dbmaintenance'

    # One value through psql as the sandbox's application user; each call is its own session, so its statistics reach the server when it ends.
    function script:Invoke-Sql([string] $Sql) {
        $env:PGPASSFILE = $Ctx.DbPassFile
        try { (Invoke-Client psql -X -w -q -A -t -v ON_ERROR_STOP=1 -h $Ctx.DbHost -p $Ctx.DbPort -U $Ctx.DbUser -d $Ctx.DbName -c $Sql) -join "`n" }
        finally { Remove-Item env:PGPASSFILE -ErrorAction Ignore }
    }
    function script:Get-DeadTuples { [long](Invoke-Sql "select n_dead_tup from pg_stat_user_tables where relname = '$Table'") }

    Invoke-Sql "create table $Table (id int primary key, v text not null) with (autovacuum_enabled = false); comment on table $Table is '$Marker'; insert into $Table select g, 'v' || g from generate_series(1, 3000) g; create index ${Table}_v on $Table (v)" | Out-Null
    Invoke-Sql "delete from $Table where id <= 2000" | Out-Null
}

AfterAll {
    if ((Invoke-Sql "select obj_description('public.$Table'::regclass, 'pg_class')") -eq $Marker) { Invoke-Sql "drop table $Table" | Out-Null }
    Use-OpsContext -Reset -ErrorAction Ignore
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'Invoke-DbMaintenance' {
    It 'sees the dead tuples the deletes left' {
        Get-DeadTuples | Should -BeGreaterOrEqual 2000
        ((Get-DbHealth).Tables | Where-Object Name -eq $Table).DeadTuples | Should -BeGreaterOrEqual 2000
        (Get-DbHealth -Findings | Where-Object { $_.Check -eq 'DeadTuples' -and $_.Table -eq "public.$Table" }).Verdict | Should -Be 'Critical'
    }

    It 'is refused outside the Database window when the context enforces it, before it connects' {
        $closed = '{0} 00:00-01:00' -f ([DateTime]::UtcNow.AddDays(3).DayOfWeek.ToString().Substring(0, 3))
        Set-OpsContext -Name dbh-enforced -EnforceMaintenanceWindow $true -DatabaseWindow $closed | Out-Null
        Use-OpsContext dbh-enforced
        try {
            { Invoke-DbMaintenance -Table $Table -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'OutsideMaintenanceWindow*'
            { Invoke-DbPendingMaintenance db-upgrade -DbInstanceId real-estate-ai-db -OptInType immediate -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'OutsideMaintenanceWindow*'
        }
        finally { Use-OpsContext sandbox }
        (Get-OpsJournal -Command Invoke-DbMaintenance | Select-Object -Last 1).ErrorId | Should -Be 'OutsideMaintenanceWindow'
        Get-DeadTuples | Should -BeGreaterOrEqual 2000
    }

    It '-WhatIf lists each statement, runs none, and leaves n_dead_tup as it was' {
        $before = Get-DeadTuples
        $out = Invoke-DbMaintenance -Table $Table -Index "${Table}_v" -WhatIf
        $out | Should -BeNullOrEmpty
        $entries = Get-OpsJournal -Command Invoke-DbMaintenance -Within 1h | Where-Object Outcome -eq 'WhatIf'
        $entries.Action | Should -Contain "VACUUM (ANALYZE) ""public"".""$Table"" (named with -Table)"
        $entries.Action | Should -Contain "REINDEX INDEX CONCURRENTLY ""public"".""${Table}_v"" (named with -Index)"
        Get-DeadTuples | Should -Be $before
    }

    It 'refuses a name that is no table with its id and goes on with the others' {
        $out = Invoke-DbMaintenance -Table "$Table; drop table $Table", 'no_such_table' -WhatIf -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed).Count | Should -Be 2
        $failed[0].FullyQualifiedErrorId | Should -Match '^DbTableNotFound'
        Invoke-Sql "select count(*) from pg_class where relname = '$Table'" | Should -Be '1'
    }

    It 'a real VACUUM (ANALYZE) clears the dead tuples and is journaled' {
        $result = Invoke-DbMaintenance -Table $Table -Confirm:$false
        $result.Status | Should -Be 'Succeeded'
        $result.Before | Should -BeGreaterOrEqual 2000
        $result.After | Should -Be 0
        Get-DeadTuples | Should -Be 0
        (Get-OpsJournal -Command Invoke-DbMaintenance | Select-Object -Last 1).Outcome | Should -Be 'Succeeded'
    }

    It 'REINDEX INDEX CONCURRENTLY rebuilds an index, which stays valid' {
        $before = Invoke-Sql "select pg_relation_filenode('public.${Table}_v'::regclass)"
        $result = Invoke-DbMaintenance -Index "${Table}_v" -Confirm:$false
        $result.Status | Should -Be 'Succeeded'
        $result.Kind | Should -Be 'ReindexConcurrently'
        Invoke-Sql "select pg_relation_filenode('public.${Table}_v'::regclass)" | Should -Not -Be $before
        Invoke-Sql "select indisvalid from pg_index where indexrelid = 'public.${Table}_v'::regclass" | Should -Be 't'
    }
}

Describe 'Invoke-DbPendingMaintenance on the sandbox clock' {
    It 'applies the minor engine upgrade now: upgrading, then available with the new version, and the action is gone' {
        $pending = Get-DbPendingMaintenance real-estate-ai-db -Action db-upgrade
        $pending | Should -Not -BeNullOrEmpty
        $target = ($pending.Description -split ' ')[-1]
        (Get-DbInstance real-estate-ai-db).EngineVersion | Should -Not -Be $target
        $applied = $pending | Invoke-DbPendingMaintenance -OptInType immediate -Confirm:$false
        $applied.OptInStatus | Should -Be 'immediate'
        (Get-DbInstance real-estate-ai-db).Status | Should -Be 'upgrading'
        $instance = Wait-DbInstance real-estate-ai-db -Timeout 2m
        $instance.Status | Should -Be 'available'
        (Get-DbInstance real-estate-ai-db).EngineVersion | Should -Be $target
        Get-DbPendingMaintenance real-estate-ai-db -Action db-upgrade | Should -BeNullOrEmpty
        (Get-OpsJournal -Command Invoke-DbPendingMaintenance | Select-Object -Last 1).Outcome | Should -Be 'Succeeded'
    }

    It 'with -Wait applies a system update now and returns once the instance is available again' {
        $applied = Invoke-DbPendingMaintenance system-update -DbInstanceId real-estate-ai-db -OptInType immediate -Wait -Timeout 2m -Confirm:$false
        $applied.Action | Should -Be 'system-update'
        (Get-DbInstance real-estate-ai-db).Status | Should -Be 'available'
        Get-DbPendingMaintenance real-estate-ai-db -Action system-update | Should -BeNullOrEmpty
    }
}
