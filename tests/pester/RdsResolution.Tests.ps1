# The Database Connection Issues runbook's resolution steps, from symptom to fix, on a sandbox with its own PostgreSQL server
# (the connection fault fills it and the reboot restarts it, which the test run's shared server must never see), and the real
# aws CLI against the new RDS and EC2 operations, each call under Invoke-Client (a timeout, so a hang fails).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    # Not Use-TestPostgres: this sandbox starts (and restarts) a server of its own.
    $script:SavedSandboxPg = $env:REALESTATEOPS_SANDBOX_PG
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 300
    Use-OpsContext sandbox
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox
    Set-SandboxAwsEnvironment $Sandbox $TestHome

    function script:Invoke-ConnectionFault([string] $Method, [string] $Body) {
        $request = @{ Method = $Method; Uri = "$script:Url/_sandbox/faults/db-connections"; Headers = $script:Control; TimeoutSec = 120 }
        if ($Body) { $request.Body = $Body; $request.ContentType = 'application/json' }
        Invoke-RestMethod @request
    }
    function script:Get-ChangeRequestCount([string] $Operation) {
        $counts = Invoke-RestMethod "$script:Url/_sandbox/requests" -Headers $script:Control
        $n = 0
        foreach ($p in $counts.operations.PSObject.Properties) { if ($p.Name -like "*$Operation*") { $n += [int]$p.Value } }
        $n
    }
}

AfterAll {
    if ($script:Sandbox) { Invoke-ConnectionFault DELETE -ErrorAction Ignore | Out-Null }
    Use-OpsContext -Reset -ErrorAction Ignore
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Clear-SandboxAwsEnvironment
    if ($script:SavedSandboxPg) { $env:REALESTATEOPS_SANDBOX_PG = $script:SavedSandboxPg }
    Remove-IsolatedHome $script:TestHome
}

Describe 'Connection limit: from the exhausted server to a raised max_connections' {
    It 'the fault''s connections show in Get-DbActivity, by application' {
        $fault = Invoke-ConnectionFault POST '{"application":"api-service","count":4}'
        $fault.held | Should -Be 4
        $report = Get-DbActivity
        ($report.ByApplication | Where-Object Name -eq 'api-service').Count | Should -Be 4
        ($report.Sessions | Where-Object { $_.Application -eq 'api-service' -and $_.State -eq 'idle' }).Count | Should -Be 4
        $report.MaxConnections | Should -BeGreaterThan $report.InUse
        $report.IsExhausted | Should -BeFalse
    }

    It 'filled, a normal login is refused with DbTooManyConnections and the DB log shows the FATAL line' {
        $fault = Invoke-ConnectionFault POST '{"application":"api-service","count":"fill"}'
        $fault.refusal | Should -Match 'too many clients|remaining connection slots are reserved'
        # Every slot but the superuser's reserve is taken; a few may be held by others (this session's Npgsql pool keeps the
        # connection Get-DbActivity used above, for a while), so the fault holds the rest, not necessarily all of them.
        $fault.held | Should -BeLessOrEqual ($fault.maxConnections - $fault.reservedForSuperuser)
        $fault.held | Should -BeGreaterOrEqual ($fault.maxConnections - $fault.reservedForSuperuser - 5)
        $err = $null
        Get-DbActivity -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DbTooManyConnections,*'
        (Get-DbLog -LogFileName error/postgresql.log -Tail 200).Line -match 'FATAL:\s+(sorry, too many clients already|remaining connection slots are reserved)' | Should -Not -BeNullOrEmpty
    }

    It 'Set-DbParameter raises max_connections pending a reboot and refuses the default group with the reason' {
        $script:Before = [int](Get-DbParameter max_connections).Value
        $script:Raised = $Before + 40
        $result = Set-DbParameter -Name max_connections -Value $Raised -ApplyMethod pending-reboot -Confirm:$false -WarningAction SilentlyContinue
        $result.PendingReboot | Should -BeTrue
        $result.OldValue | Should -Be "$Before"
        (Get-DbInstance real-estate-ai-db).ParameterApplyStatus | Should -Be 'pending-reboot'
        { Set-DbParameter max_connections 500 -ParameterGroupName default.postgres15 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'DbParameterGroupIsDefault,*' -ExpectedMessage '*custom group*'
        { Set-DbParameter max_connections 500 -ApplyMethod immediate -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DbParameterRequiresReboot,*'
    }

    It 'Restart-DbInstance -Wait restarts the server: SHOW max_connections is the new value and new connections work' {
        $instance = Restart-DbInstance -Wait -Confirm:$false
        $instance.Status | Should -Be 'available'
        $instance.ParameterApplyStatus | Should -Be 'in-sync'
        $report = Get-DbActivity
        $report.MaxConnections | Should -Be $Raised
        ($report.ByApplication | Where-Object Name -eq 'api-service') | Should -BeNullOrEmpty -Because 'the restart ended the fault''s connections'
        (Test-DbConnection).Status | Should -Be 'Accepting'
        (Invoke-ConnectionFault GET).held | Should -Be 0
        $entry = Get-OpsJournal -Within 1h | Where-Object { $_.Command -eq 'Restart-DbInstance' } | Select-Object -Last 1
        $entry.Outcome | Should -Be 'Succeeded'
    }

    It 'Stop-DbQuery -Terminate ends a session Get-DbActivity -Detail names; -WhatIf signals nothing' {
        Invoke-ConnectionFault POST '{"application":"batch-report","count":2}' | Out-Null
        $sessions = @(Get-DbActivity -Detail | Where-Object Application -eq 'batch-report')
        $sessions.Count | Should -Be 2
        $sessions | Stop-DbQuery -Terminate -WhatIf | Out-Null
        @(Get-DbActivity -Detail | Where-Object Application -eq 'batch-report').Count | Should -Be 2
        $stopped = $sessions[0] | Stop-DbQuery -Terminate -Confirm:$false
        $stopped.Signalled | Should -BeTrue
        Wait-Until { @(Get-DbActivity -Detail | Where-Object Application -eq 'batch-report').Count -eq 1 } 30
        Invoke-ConnectionFault DELETE | Out-Null
    }

    It 'Set-DbInstanceClass -WhatIf makes no ModifyDBInstance request; without -ApplyImmediately the class waits in PendingModifiedValues' {
        $before = Get-ChangeRequestCount 'ModifyDBInstance'
        Set-DbInstanceClass db.r6g.xlarge -WhatIf | Out-Null
        Get-ChangeRequestCount 'ModifyDBInstance' | Should -Be $before
        $i = Set-DbInstanceClass db.r6g.xlarge -Confirm:$false
        $i.PendingInstanceClass | Should -Be 'db.r6g.xlarge'
        $i.InstanceClass | Should -Be 'db.r6g.large'
        { Set-DbInstanceClass db.huge -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DbInstanceClassInvalid,*'
    }

    It 'Get-DbSecurityGroup names the groups, rules and subnets of the network case' {
        $facts = Get-DbSecurityGroup
        $facts.SecurityGroups.GroupId | Should -Contain 'sg-0realestatedb0001'
        $facts.PortOpen | Should -BeTrue
        @($facts.Subnets).Count | Should -Be 3
        @($facts.Subnets.AvailabilityZone | Sort-Object -Unique).Count | Should -Be 3
        $facts.Findings -join "`n" | Should -Match "admits port $((Get-OpsContext sandbox).DbPort) from sg-0eksnodes00000001"
    }
}

Describe 'aws rds and aws ec2 against the sandbox (parameter groups, reboot, class, security groups)' {
    It 'describe-db-parameters pages and shows apply types' {
        $r = Invoke-SandboxAws -Url $Url rds describe-db-parameters --db-parameter-group-name real-estate-ai-pg15 --max-items 200 --page-size 20
        $mc = $r.Parameters | Where-Object ParameterName -eq 'max_connections'
        $mc.ApplyType | Should -Be 'static'
        $mc.Source | Should -Be 'user'
        $mc.IsModifiable | Should -BeTrue
        @($r.Parameters).Count | Should -BeGreaterThan 20 -Because 'page size 20 must have been followed to the next page'
    }

    It 'modify-db-parameter-group sets a static parameter pending-reboot and refuses immediate and the default group' {
        $r = Invoke-SandboxAws -Url $Url rds modify-db-parameter-group --db-parameter-group-name real-estate-ai-pg15 --parameters 'ParameterName=work_mem,ParameterValue=8192,ApplyMethod=immediate'
        $r.DBParameterGroupName | Should -Be 'real-estate-ai-pg15'
        { Invoke-SandboxAws -Url $Url rds modify-db-parameter-group --db-parameter-group-name real-estate-ai-pg15 --parameters 'ParameterName=max_connections,ParameterValue=300,ApplyMethod=immediate' } |
            Should -Throw '*InvalidParameterCombination*'
        { Invoke-SandboxAws -Url $Url rds modify-db-parameter-group --db-parameter-group-name default.postgres15 --parameters 'ParameterName=work_mem,ParameterValue=8192,ApplyMethod=immediate' } |
            Should -Throw '*InvalidDBParameterGroupState*'
    }

    It 'reboot-db-instance moves the instance through rebooting to available' {
        $r = Invoke-SandboxAws -Url $Url rds reboot-db-instance --db-instance-identifier real-estate-ai-db
        $r.DBInstance.DBInstanceStatus | Should -Be 'rebooting'
        Wait-Until { (Invoke-SandboxAws -Url $Url rds describe-db-instances --db-instance-identifier real-estate-ai-db).DBInstances[0].DBInstanceStatus -eq 'available' } 120
    }

    It 'modify-db-instance --db-instance-class shows the pending class, or modifies now with --apply-immediately' {
        $r = Invoke-SandboxAws -Url $Url rds modify-db-instance --db-instance-identifier real-estate-ai-db --db-instance-class db.r6g.2xlarge --no-apply-immediately
        $r.DBInstance.PendingModifiedValues.DBInstanceClass | Should -Be 'db.r6g.2xlarge'
        $r = Invoke-SandboxAws -Url $Url rds modify-db-instance --db-instance-identifier real-estate-ai-db --db-instance-class db.r6g.2xlarge --apply-immediately
        $r.DBInstance.DBInstanceStatus | Should -Be 'modifying'
        Wait-Until { (Invoke-SandboxAws -Url $Url rds describe-db-instances --db-instance-identifier real-estate-ai-db).DBInstances[0].DBInstanceClass -eq 'db.r6g.2xlarge' } 120
        { Invoke-SandboxAws -Url $Url rds modify-db-instance --db-instance-identifier real-estate-ai-db --db-instance-class db.x9.nothing --apply-immediately } | Should -Throw '*InvalidParameterCombination*'
    }

    It 'ec2 describe-security-groups and describe-subnets show the database''s rules and subnets' {
        $r = Invoke-SandboxAws -Url $Url ec2 describe-security-groups --group-ids sg-0realestatedb0001
        $g = $r.SecurityGroups[0]
        $g.GroupName | Should -Be 'real-estate-ai-db'
        $g.IpPermissions[0].UserIdGroupPairs[0].GroupId | Should -Be 'sg-0eksnodes00000001'
        $g.IpPermissions[1].IpRanges[0].CidrIp | Should -Be '10.0.0.0/16'
        { Invoke-SandboxAws -Url $Url ec2 describe-security-groups --group-ids sg-0nothere } | Should -Throw '*InvalidGroup.NotFound*'
        $s = Invoke-SandboxAws -Url $Url ec2 describe-subnets --subnet-ids subnet-0private1a000001
        $s.Subnets[0].CidrBlock | Should -Be '10.0.1.0/24'
        $s.Subnets[0].AvailabilityZone | Should -Be 'us-east-1a'
        $d = Invoke-SandboxAws -Url $Url rds describe-db-subnet-groups --db-subnet-group-name real-estate-ai-db-subnets
        @($d.DBSubnetGroups[0].Subnets).Count | Should -Be 3
    }
}
