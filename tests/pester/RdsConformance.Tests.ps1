# Conformance: the real aws CLI (/usr/bin/aws, Debian's awscli) drives the sandbox's RDS, so the sandbox stays
# faithful to RDS's Query protocol, its XML shapes, paging, errors and HTTP statuses.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-TestPostgres
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 300
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox   # the control endpoints' token
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $Sandbox.StateFolder 'aws-credentials'
    $env:AWS_CONFIG_FILE = Join-Path $TestHome 'aws-config'
    $env:AWS_PROFILE = 'sandbox'
    $env:AWS_DEFAULT_REGION = 'us-east-1'
    $env:AWS_PAGER = ''
    $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)

    function script:Invoke-Aws {
        $stdout = Invoke-Client /usr/bin/aws --endpoint-url $script:Url --output json @args 2>$script:TestHome/aws.err
        $code = $LASTEXITCODE
        $text = ($stdout | ForEach-Object { "$_" }) -join "`n"
        [pscustomobject]@{
            ExitCode = $code
            Json     = if ($code -eq 0 -and $text.Trim()) { $text | ConvertFrom-Json } else { $null }
            Error    = (Get-Content -Raw "$script:TestHome/aws.err" -ErrorAction Ignore)
        }
    }

    function script:Wait-Until([scriptblock] $Condition, [int] $Seconds = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Condition not met within $Seconds s: $Condition" }
            Start-Sleep -Milliseconds 200
        }
    }
}

AfterAll {
    Use-OpsContext -Reset -ErrorAction Ignore   # the session's choice must not leak into the next file
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    foreach ($v in 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_DEFAULT_REGION', 'AWS_PAGER', 'REALESTATEOPS_SANDBOX_PG') { Remove-Item "env:$v" -ErrorAction Ignore }
    Remove-IsolatedHome $script:TestHome
}

Describe 'aws rds against the sandbox' {
    It 'describe-db-instances shows the platform database with its endpoint and network settings' {
        $r = Invoke-Aws rds describe-db-instances --db-instance-identifier real-estate-ai-db
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $i = $r.Json.DBInstances[0]
        $i.DBInstanceStatus | Should -Be 'available'
        $i.Endpoint.Port | Should -Be (Get-OpsContext sandbox).DbPort
        $i.DBName | Should -Be 'real_estate_ai'
        $i.VpcSecurityGroups[0].VpcSecurityGroupId | Should -Match '^sg-'
        $i.DBSubnetGroup.DBSubnetGroupName | Should -Be 'real-estate-ai-db-subnets'
    }

    It 'describe-db-snapshots lists seven days of automated snapshots' {
        $r = Invoke-Aws rds describe-db-snapshots --db-instance-identifier real-estate-ai-db --snapshot-type automated
        $r.ExitCode | Should -Be 0 -Because $r.Error
        @($r.Json.DBSnapshots).Count | Should -BeGreaterOrEqual 7   # seven seeded days, one more per backup window the fast clock has passed
        $r.Json.DBSnapshots | ForEach-Object { $_.DBSnapshotIdentifier | Should -Match '^rds:real-estate-ai-db-\d{4}-\d\d-\d\d-\d\d-\d\d$' }
    }

    It 'create-db-snapshot creates, moves to available, and refuses the same name again' {
        $id = "conf-$Suffix"
        $r = Invoke-Aws rds create-db-snapshot --db-instance-identifier real-estate-ai-db --db-snapshot-identifier $id --tags 'Key=ticket,Value=OPS-42'
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $r.Json.DBSnapshot.Status | Should -Be 'creating'
        Wait-Until { (Invoke-Aws rds describe-db-snapshots --db-snapshot-identifier $id).Json.DBSnapshots[0].Status -eq 'available' }
        $s = (Invoke-Aws rds describe-db-snapshots --db-snapshot-identifier $id).Json.DBSnapshots[0]
        $s.PercentProgress | Should -Be 100
        ($s.TagList | Where-Object Key -eq 'ticket').Value | Should -Be 'OPS-42'

        $again = Invoke-Aws rds create-db-snapshot --db-instance-identifier real-estate-ai-db --db-snapshot-identifier $id
        $again.ExitCode | Should -Not -Be 0
        $again.Error | Should -Match 'DBSnapshotAlreadyExists'
    }

    It 'describe-db-snapshots pages with --page-size, --max-items and --starting-token' {
        Invoke-RestMethod -Method Post "$Url/_sandbox/rds/snapshots" -Headers $Control -ContentType 'application/json' -Body (@{ dbInstanceId = 'real-estate-ai-db'; count = 45; prefix = "pg$Suffix" } | ConvertTo-Json) | Out-Null
        $first = Invoke-Aws rds describe-db-snapshots --snapshot-type manual --page-size 20 --max-items 25
        $first.ExitCode | Should -Be 0 -Because $first.Error
        @($first.Json.DBSnapshots).Count | Should -Be 25
        $first.Json.NextToken | Should -Not -BeNullOrEmpty
        $rest = Invoke-Aws rds describe-db-snapshots --snapshot-type manual --page-size 20 --starting-token $first.Json.NextToken
        $ids = @($first.Json.DBSnapshots) + @($rest.Json.DBSnapshots) | ForEach-Object DBSnapshotIdentifier
        ($ids | Where-Object { $_ -like "pg$Suffix-*" }).Count | Should -Be 45
        ($ids | Sort-Object -Unique).Count | Should -Be $ids.Count
        $all = Invoke-Aws rds describe-db-snapshots --filters "Name=db-snapshot-id,Values=pg$Suffix-000001,pg$Suffix-000002"
        @($all.Json.DBSnapshots).Count | Should -Be 2
    }

    It 'restore-db-instance-from-db-snapshot restores with the given settings, and the module sees the same instance' {
        $id = "conf-$Suffix"
        $target = "conf-restored-$Suffix"
        $r = Invoke-Aws rds restore-db-instance-from-db-snapshot --db-instance-identifier $target --db-snapshot-identifier $id `
            --db-instance-class db.t4g.medium --db-subnet-group-name real-estate-ai-db-subnets --vpc-security-group-ids sg-0realestatedb0001 sg-0ops0002 `
            --no-multi-az --no-publicly-accessible --db-parameter-group-name real-estate-ai-pg15 --storage-type gp3 `
            --tags 'Key=purpose,Value=conformance' --deletion-protection --copy-tags-to-snapshot
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $r.Json.DBInstance.DBInstanceStatus | Should -Be 'creating'
        Wait-Until { (Invoke-Aws rds describe-db-instances --db-instance-identifier $target).Json.DBInstances[0].DBInstanceStatus -eq 'available' }
        $i = (Invoke-Aws rds describe-db-instances --db-instance-identifier $target).Json.DBInstances[0]
        $i.DBInstanceClass | Should -Be 'db.t4g.medium'
        @($i.VpcSecurityGroups.VpcSecurityGroupId) | Should -Be @('sg-0realestatedb0001', 'sg-0ops0002')
        $i.DBParameterGroups[0].DBParameterGroupName | Should -Be 'real-estate-ai-pg15'
        $i.DeletionProtection | Should -BeTrue
        $i.CopyTagsToSnapshot | Should -BeTrue
        $i.MultiAZ | Should -BeFalse

        Use-OpsContext sandbox
        $mine = Get-DbInstance $target
        $mine.Address | Should -Be $i.Endpoint.Address
        $mine.Port | Should -Be $i.Endpoint.Port
        ($mine | Test-DbConnection).IsReady | Should -BeTrue
    }

    It 'describe-db-log-files and download-db-log-file-portion serve the server''s real log, whole and as a tail' {
        $files = Invoke-Aws rds describe-db-log-files --db-instance-identifier real-estate-ai-db
        $files.ExitCode | Should -Be 0 -Because $files.Error
        $files.Json.DescribeDBLogFiles.LogFileName | Should -Contain 'error/postgresql.log'
        $whole = Invoke-Aws rds download-db-log-file-portion --db-instance-identifier real-estate-ai-db --log-file-name error/postgresql.log --starting-token 0
        $whole.ExitCode | Should -Be 0 -Because $whole.Error
        $whole.Json.LogFileData | Should -Match 'database system is ready to accept connections'
        $tail = Invoke-Aws rds download-db-log-file-portion --db-instance-identifier real-estate-ai-db --log-file-name error/postgresql.log --number-of-lines 2
        $tail.ExitCode | Should -Be 0 -Because $tail.Error
        @(($tail.Json.LogFileData -split "`n") | Where-Object { $_ }).Count | Should -BeLessOrEqual 2
        $lines = Get-DbLog error/postgresql.log
        ($lines.Line -join "`n") | Should -Be (($whole.Json.LogFileData -split "`n" | Where-Object { $_ }) -join "`n")
    }

    It 'delete-db-snapshot deletes a manual snapshot and refuses an automated one' {
        $id = "conf-$Suffix"
        $d = Invoke-Aws rds delete-db-snapshot --db-snapshot-identifier $id
        $d.ExitCode | Should -Be 0 -Because $d.Error
        $d.Json.DBSnapshot.Status | Should -Be 'deleted'
        $gone = Invoke-Aws rds describe-db-snapshots --db-snapshot-identifier $id
        $gone.ExitCode | Should -Not -Be 0
        $gone.Error | Should -Match 'DBSnapshotNotFound'
        $auto = (Invoke-Aws rds describe-db-snapshots --snapshot-type automated).Json.DBSnapshots[0].DBSnapshotIdentifier
        $refused = Invoke-Aws rds delete-db-snapshot --db-snapshot-identifier $auto
        $refused.Error | Should -Match 'InvalidDBSnapshotState'
    }

    It 'answers errors with RDS''s codes: <Code>' -ForEach @(
        @{ Code = 'DBSnapshotNotFound'; Cli = @('rds', 'describe-db-snapshots', '--db-snapshot-identifier', 'no-such-snapshot') }
        @{ Code = 'DBInstanceNotFound'; Cli = @('rds', 'describe-db-instances', '--db-instance-identifier', 'no-such-instance') }
        @{ Code = 'DBInstanceAlreadyExists'; Cli = @('rds', 'restore-db-instance-from-db-snapshot', '--db-instance-identifier', 'real-estate-ai-db', '--db-snapshot-identifier', 'SEED') }
        @{ Code = 'InvalidParameterValue'; Cli = @('rds', 'create-db-snapshot', '--db-instance-identifier', 'real-estate-ai-db', '--db-snapshot-identifier', 'bad--name') }
        @{ Code = 'DBLogFileNotFoundFault'; Cli = @('rds', 'download-db-log-file-portion', '--db-instance-identifier', 'real-estate-ai-db', '--log-file-name', 'error/none.log') }
        @{ Code = 'DBSubnetGroupNotFoundFault'; Cli = @('rds', 'restore-db-instance-from-db-snapshot', '--db-instance-identifier', 'x-new', '--db-snapshot-identifier', 'SEED', '--db-subnet-group-name', 'nope') }
    ) {
        $seed = (Invoke-Aws rds describe-db-snapshots --snapshot-type automated).Json.DBSnapshots[0].DBSnapshotIdentifier
        $r = Invoke-Aws @($Cli | ForEach-Object { if ($_ -eq 'SEED') { $seed } else { $_ } })
        $r.ExitCode | Should -Be 254
        $r.Error | Should -Match "\($Code\)"
    }

    It 'refuses a snapshot of an instance that is not available (InvalidDBInstanceState)' {
        Invoke-RestMethod -Method Put "$Url/_sandbox/clock" -Headers $Control -ContentType 'application/json' -Body '{"speed":0.01}' | Out-Null
        try {
            $seed = (Invoke-Aws rds describe-db-snapshots --snapshot-type automated).Json.DBSnapshots[0].DBSnapshotIdentifier
            $target = "conf-busy-$Suffix"
            (Invoke-Aws rds restore-db-instance-from-db-snapshot --db-instance-identifier $target --db-snapshot-identifier $seed).ExitCode | Should -Be 0
            $r = Invoke-Aws rds create-db-snapshot --db-instance-identifier $target --db-snapshot-identifier "conf-busy-$Suffix"
            $r.ExitCode | Should -Be 254
            $r.Error | Should -Match 'InvalidDBInstanceState'
        }
        finally { Invoke-RestMethod -Method Put "$Url/_sandbox/clock" -Headers $Control -ContentType 'application/json' -Body '{"speed":300}' | Out-Null }
    }
}
