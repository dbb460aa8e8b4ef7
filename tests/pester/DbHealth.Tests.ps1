# Get-DbHealth on the sandbox's platform database as its application user, and the real aws CLI against the sandbox's
# pending maintenance actions (describe-pending-maintenance-actions, apply-pending-maintenance-action), each call under Invoke-Client.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-TestPostgres
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 300
    Use-OpsContext sandbox
    $script:Url = $Sandbox.Url.TrimEnd('/')
    Set-SandboxAwsEnvironment $Sandbox $TestHome
    $script:Ctx = Get-OpsContext sandbox
}

AfterAll {
    Use-OpsContext -Reset -ErrorAction Ignore
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Clear-SandboxAwsEnvironment
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'Get-DbHealth on the sandbox' {
    BeforeAll { $script:Report = Get-DbHealth }

    It 'reports on the platform database as the application user, every check with a verdict' {
        $Report.Database | Should -Be $Ctx.DbName
        $Report.ConnectedAs | Should -Be $Ctx.DbUser
        $Report.CanMonitor | Should -BeFalse
        $Report.Verdict | Should -BeIn 'Ok', 'Warning', 'Critical'
        $checks = $Report.Findings.Check | ForEach-Object { "$_" } | Sort-Object -Unique
        foreach ($c in 'Connections', 'CacheHitRatio', 'Wraparound', 'Replication', 'LongTransaction', 'VectorColumn', 'VectorIndex', 'VectorDimensions', 'VectorRecall') {
            $checks | Should -Contain $c
        }
        ($Report.Tables | Where-Object Name -eq 'property_embeddings') | Should -Not -BeNullOrEmpty
    }

    It 'reports the vector table honestly: the recall is measured only with pgvector and an index' {
        $v = $Report.Vector
        $v.TableExists | Should -BeTrue
        @($v.Dimensions.Keys) | Should -Be @(16)
        if (-not $v.PgVectorInstalled) {
            $v.ColumnType | Should -Be 'real[]'
            $v.RecallPercent | Should -BeNullOrEmpty
            $v.RecallSkippedReason | Should -Match 'pgvector'
            ($Report.Findings | Where-Object Check -eq 'VectorRecall').Verdict | Should -Be 'Skipped'
        }
        else {
            $v.ColumnType | Should -Be 'vector(16)'
        }
    }

    It 'emits the findings with -Findings and reads at 80 and 120 columns' {
        $findings = Get-DbHealth -Findings
        $findings.Count | Should -BeGreaterThan 5
        foreach ($width in 80, 120) {
            ($Report | Out-String -Width $width) | Should -Match 'Verdict'
            ($findings | Out-String -Width $width) -split "`r?`n" | ForEach-Object { $_.Length | Should -BeLessOrEqual $width }
        }
    }

    It 'refuses a wrong password with the connection''s own error id' {
        $bad = [pscredential]::new($Ctx.DbUser, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        { Get-DbHealth -Credential $bad -ErrorAction Stop } | Should -Throw -ErrorId 'DbAuthenticationFailed*'
    }
}

Describe 'aws rds pending maintenance against the sandbox' {
    It 'describe-pending-maintenance-actions shows the platform instance''s db-upgrade and system-update' {
        $r = Invoke-SandboxAws -Url $Url rds describe-pending-maintenance-actions --filters 'Name=db-instance-id,Values=real-estate-ai-db'
        $resource = @($r.PendingMaintenanceActions)
        $resource.Count | Should -Be 1
        $resource[0].ResourceIdentifier | Should -Match ':db:real-estate-ai-db$'
        $actions = $resource[0].PendingMaintenanceActionDetails
        $actions.Action | Should -Contain 'db-upgrade'
        $actions.Action | Should -Contain 'system-update'
        $upgrade = $actions | Where-Object Action -eq 'db-upgrade'
        $upgrade.AutoAppliedAfterDate | Should -Not -BeNullOrEmpty
        $upgrade.ForcedApplyDate | Should -Not -BeNullOrEmpty
        $upgrade.Description | Should -Match 'minor version upgrade'
    }

    It 'apply-pending-maintenance-action opts in for the next window, and Get-DbPendingMaintenance shows it' {
        $arn = (Get-DbInstance real-estate-ai-db).Arn
        $r = Invoke-SandboxAws -Url $Url rds apply-pending-maintenance-action --resource-identifier $arn --apply-action system-update --opt-in-type next-maintenance
        $applied = $r.ResourcePendingMaintenanceActions.PendingMaintenanceActionDetails | Where-Object Action -eq 'system-update'
        $applied.OptInStatus | Should -Be 'next-maintenance'
        $applied.CurrentApplyDate | Should -Not -BeNullOrEmpty
        (Get-DbPendingMaintenance real-estate-ai-db -Action system-update).OptInStatus | Should -Be 'next-maintenance'
        $null = Invoke-SandboxAws -Url $Url rds apply-pending-maintenance-action --resource-identifier $arn --apply-action system-update --opt-in-type undo-opt-in
    }

    It 'apply-pending-maintenance-action on an unknown resource fails with ResourceNotFoundFault' {
        $out = Invoke-Client /usr/bin/aws --profile sandbox --region us-east-1 --endpoint-url $Url rds apply-pending-maintenance-action `
            --resource-identifier 'arn:aws:rds:us-east-1:000000000000:db:no-such-db' --apply-action system-update --opt-in-type immediate 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        ($out -join "`n") | Should -Match 'ResourceNotFoundFault'
    }
}
