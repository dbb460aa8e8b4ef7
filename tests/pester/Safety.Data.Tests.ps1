# Data safety, end to end on the sandbox: Import-Database's -Replace, checksums of S3 archives, the operator's
# PGSSLMODE, plain-http endpoints, wildcard errors, file permissions, a half-written journal line, secrets in the journal.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Import-Module $ModuleManifest -Force
    Use-TestPostgres
    $script:Sandbox = Start-OpsSandbox
    Use-OpsContext sandbox
    $script:Ctx = Get-OpsContext sandbox
    $script:Password = (Get-Content $Ctx.DbPassFile | Select-Object -First 1).Split(':')[-1]
    $script:Psql = @(Get-ChildItem /usr/lib/postgresql/*/bin/psql -ErrorAction Ignore | Sort-Object FullName -Descending | ForEach-Object FullName) + @((Get-Command psql -ErrorAction Ignore).Source) |
        Where-Object { $_ } | Select-Object -First 1

    # One value from a database, through psql as the sandbox's application user (or as the server's admin).
    function script:Invoke-Sql([string] $Sql, [string] $Database = $Ctx.DbName, [switch] $Admin) {
        if ($Admin) {
            $cs = @{}
            foreach ($pair in $env:REALESTATEOPS_SANDBOX_PG.Split(';')) { if ($pair -match '^\s*([^=]+?)\s*=\s*(.*)$') { $cs[$Matches[1].ToLowerInvariant()] = $Matches[2] } }
            $user = @($cs['username'], $cs['user id'], $cs['user']) | Where-Object { $_ } | Select-Object -First 1
            $env:PGPASSWORD = $cs['password']
            $hostName, $port = $cs['host'], $cs['port']
        } else {
            $env:PGPASSWORD = $Password
            $user, $hostName, $port = $Ctx.DbUser, $Ctx.DbHost, $Ctx.DbPort
        }
        try { (& $Psql -h $hostName -p $port -U $user -d $Database -tAc $Sql 2>&1) -join "`n" }
        finally { Remove-Item env:PGPASSWORD -ErrorAction Ignore }
    }

    # A new empty database owned by the application user, to import into.
    function script:New-ScratchDatabase {
        $name = 'safety_' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        $out = Invoke-Sql -Admin -Database postgres "create database $name owner `"$($Ctx.DbUser)`""
        if ($out -notmatch 'CREATE DATABASE') { throw "create database failed: $out" }
        $name
    }

    $script:Credential = [pscredential]::new($Ctx.DbUser, (ConvertTo-SecureString $Password -AsPlainText -Force))
    $script:NewRow = "insert into properties (address, city, state, zip, property_type, bedrooms, bathrooms, sqft, price) values ('1 Safety St', 'Austin', 'TX', '78701', 'house', 3, 2, 1500, 1)"

    # The aws CLI on the sandbox (Debian's awscli, which build.ps1 installs for the conformance tests).
    function script:Invoke-Aws {
        $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $Sandbox.StateFolder 'aws-credentials'
        $env:AWS_CONFIG_FILE = Join-Path $TestHome 'aws-config-none'
        $env:AWS_EC2_METADATA_DISABLED = 'true'
        Invoke-SandboxAws -Url $Sandbox.Url.TrimEnd('/') @args
    }

    function script:Mode([string] $Path) { (& stat -c '%a' $Path).Trim() }

    # The error id a command ends with (terminating or not), or $null when it succeeds.
    function script:ErrorIdOf([scriptblock] $Command) {
        $ErrorActionPreference = 'Stop'
        try { $null = & $Command; $null } catch { $_.FullyQualifiedErrorId.Split(',')[0] }
    }

    # The message of that error.
    function script:ErrorOf([scriptblock] $Command) {
        $ErrorActionPreference = 'Stop'
        try { $null = & $Command; $null } catch { "$_" }
    }
}

AfterAll {
    Stop-OpsSandbox -Confirm:$false
    Use-OpsContext -Reset -ErrorAction Ignore   # the session's choice would outlive this file
    Remove-Module RealEstateOps -ErrorAction Ignore
    foreach ($k in 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED', 'REALESTATEOPS_SANDBOX_PG', 'PGSSLMODE') { Remove-Item "env:$k" -ErrorAction Ignore }
    Remove-IsolatedHome $script:TestHome
}

Describe 'The sandbox''s master user, as on RDS' {
    It 'owns the platform tables, may create a database, and has one password for every database of the instance' {
        Invoke-Sql "select count(*) from pg_tables where schemaname = 'public' and tableowner <> current_user" | Should -Be '0'
        $name = 'owned_' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Invoke-Sql -Database postgres "create database $name" | Should -Match 'CREATE DATABASE'
        # The context's password file alone logs in to the new database, and a database that is not there says so.
        (Test-DbConnection -Database $name).IsReady | Should -BeTrue
        ErrorIdOf { Test-DbConnection -Database no_such_db } | Should -Be 'DbDatabaseNotFound'
    }
}

Describe 'Import-Database into a database that has tables' {
    It 'refuses with -Force alone (it only skips the prompt) and replaces only with -Replace' {
        $file = Join-Path $TestHome 'platform.dump'
        $null = Export-Database $file -Overwrite
        $target = New-ScratchDatabase
        $null = Import-Database $file -Database $target -Credential $Credential -Force
        $exported = Invoke-Sql 'select count(*) from properties' -Database $target
        $null = Invoke-Sql $NewRow -Database $target
        $added = Invoke-Sql 'select count(*) from properties' -Database $target
        $added | Should -Be "$([int]$exported + 1)"

        ErrorIdOf { Import-Database $file -Database $target -Credential $Credential -Force } | Should -Be 'DbTargetNotEmpty'
        ErrorOf { Import-Database $file -Database $target -Credential $Credential -Force } | Should -Match '-Replace'
        Invoke-Sql 'select count(*) from properties' -Database $target | Should -Be $added

        $done = Import-Database $file -Database $target -Credential $Credential -Replace -Force
        $done.Replaced | Should -BeTrue
        Invoke-Sql 'select count(*) from properties' -Database $target | Should -Be $exported
    }
}

Describe 'Import-Database from S3' {
    It 'refuses a tampered object by the SHA-256 recorded at export, and restores nothing' {
        $key = "safety/$([guid]::NewGuid().ToString('N')).dump"
        $artifact = Export-Database "s3://real-estate-ai-backups/$key"
        $head = Invoke-Aws s3api head-object --bucket real-estate-ai-backups --key $key
        $head.Metadata.sha256 | Should -Be $artifact.Sha256

        # The object rewritten with one byte changed and the old metadata kept.
        $local = Join-Path $TestHome 'tampered.dump'
        $null = Invoke-Aws s3api get-object --bucket real-estate-ai-backups --key $key $local
        $bytes = [IO.File]::ReadAllBytes($local)
        $bytes[[int]($bytes.Length / 2)] = $bytes[[int]($bytes.Length / 2)] -bxor 0xFF
        [IO.File]::WriteAllBytes($local, $bytes)
        $null = Invoke-Aws s3api put-object --bucket real-estate-ai-backups --key $key --body $local --metadata "sha256=$($artifact.Sha256)"

        $target = New-ScratchDatabase
        ErrorIdOf { Import-Database "s3://real-estate-ai-backups/$key" -Database $target -Credential $Credential -Force } | Should -Be 'BackupChecksumMismatch'
        Invoke-Sql "select count(*) from pg_tables where schemaname = 'public'" -Database $target | Should -Be '0'
    }
}

Describe 'TLS of pg_dump and pg_restore' {
    It 'keeps the operator''s own PGSSLMODE (a fake pg_dump shows what it was given)' {
        $seen = Join-Path $TestHome 'pg_dump-saw'
        $fake = Join-Path $TestHome 'pg_dump'
        Set-Content $fake "#!/bin/sh`nif [ `"`$1`" = `"--version`" ]; then echo 'pg_dump (PostgreSQL) 99.0'; exit 0; fi`necho `"PGSSLMODE=`${PGSSLMODE-unset}`" > '$seen'`nexit 3`n"
        & chmod 700 $fake
        $env:PGSSLMODE = 'disable'
        try { $null = Export-Database (Join-Path $TestHome 'never.dump') -PgDumpPath $fake -ErrorAction SilentlyContinue }
        finally { Remove-Item env:PGSSLMODE }
        Get-Content $seen | Should -Be 'PGSSLMODE=disable'
        Test-Path (Join-Path $TestHome 'never.dump') | Should -BeFalse
    }

    It 'refuses a remote host without a CA bundle, saying how to get one' {
        $r = Test-DbConnection -HostName db.example.invalid -ErrorVariable err -ErrorAction SilentlyContinue
        $r.ErrorId | Should -Be 'DbSslRootCertMissing'
        "$($err[0])" | Should -Match 'DbSslRootCert'
    }
}

Describe 'Endpoint overrides on plain http' {
    It 'are refused for a host that is not this machine unless -AllowInsecureEndpoint' {
        ErrorIdOf { Get-S3ObjectVersion real-estate-ai-assets -EndpointUrl 'http://s3.insecure.invalid:9000' } | Should -Be 'EndpointInsecure'
        ErrorIdOf { Get-S3ObjectVersion real-estate-ai-assets -EndpointUrl 'http://s3.insecure.invalid:9000' -AllowInsecureEndpoint } | Should -Not -Be 'EndpointInsecure'
        # The sandbox itself is on 127.0.0.1: no switch needed.
        @(Get-S3ObjectVersion real-estate-ai-assets -EndpointUrl $Sandbox.Url | Select-Object -First 1).Count | Should -Be 1
    }
}

Describe 'Wildcards' {
    It 'a bad pattern is WildcardPatternInvalid, not a regular-expression crash' {
        foreach ($pattern in '[z-a]', '[') {
            ErrorIdOf { Get-OpsJournal -Command $pattern } | Should -Be 'WildcardPatternInvalid'
        }
        # Valid in PowerShell ([\] is a set of one backslash): no snapshot matches, and nothing fails.
        ErrorIdOf { Get-DbSnapshot 'ab[\]' } | Should -BeNullOrEmpty
        ErrorIdOf { Get-DbSnapshot 'ab[z-a]' } | Should -Be 'WildcardPatternInvalid'
    }
}

Describe 'Files the module writes' {
    It 'contexts, the journal and exported dumps are 0600 in 0700 folders' {
        $null = Set-OpsContext -Name perm-check -Region us-east-1
        Mode (Join-Path $env:REALESTATEOPS_CONFIG_HOME 'contexts/perm-check.json') | Should -Be '600'
        Mode (Join-Path $env:REALESTATEOPS_CONFIG_HOME 'contexts') | Should -Be '700'
        Mode $env:REALESTATEOPS_CONFIG_HOME | Should -Be '700'
        Mode (Join-Path $env:REALESTATEOPS_DATA_HOME 'journal.jsonl') | Should -Be '600'
        Mode $env:REALESTATEOPS_DATA_HOME | Should -Be '700'
        $dump = Join-Path $TestHome 'mode.dump'
        $null = Export-Database $dump
        Mode $dump | Should -Be '600'
    }

    It 'a half-written journal line does not swallow the next entry' {
        $journal = Join-Path $env:REALESTATEOPS_DATA_HOME 'journal.jsonl'
        $null = Set-OpsContext -Name half-a -Region us-east-1
        [IO.File]::AppendAllText($journal, '{"Timestamp":"2026-11-30T00:00:00Z","Command":"Half')
        $null = Set-OpsContext -Name half-b -Region us-east-1
        (Get-OpsJournal -Target 'half-*').Target | Should -Be @('half-a', 'half-b')
    }
}

Describe 'Secrets in the journal' {
    It 'a journaled command''s password and secret-named values are not in journal.jsonl' {
        $literal = 'S3cr3t-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        $null = Set-OpsContext -Name secret-check -Endpoint @{ token = "https://ops:$literal@s3.example.com" }
        $credential = [pscredential]::new($Ctx.DbUser, (ConvertTo-SecureString $Password -AsPlainText -Force))
        $null = Export-Database (Join-Path $TestHome 'secret.dump') -Credential $credential
        $journal = Join-Path $env:REALESTATEOPS_DATA_HOME 'journal.jsonl'
        (Get-OpsJournal -Command Export-Database | Select-Object -Last 1).Outcome | Should -Be 'Succeeded'
        Select-String -Path $journal -SimpleMatch $literal | Should -BeNullOrEmpty
        Select-String -Path $journal -SimpleMatch $Password | Should -BeNullOrEmpty
    }
}
