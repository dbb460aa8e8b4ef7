# The sandbox's process and file side must not open doors (it runs as root on CI and developer machines):
# owner-only files from their creation, no folder or process touched that the sandbox did not make or start,
# no path reaching pg_ctl's shell, no role or database altered that the sandbox did not create.
# Every folder here is made by the test under its own isolated home; the only process killed is the test's own 'sleep'.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Marker = 'planted-by-safety-test-' + [guid]::NewGuid().ToString('N')
    Set-Content -LiteralPath (Join-Path $TestHome 'safety-test.marker') $Marker
    $script:SandboxDll = Join-Path (Split-Path $ModuleManifest) 'sandbox/RealEstateOps.Sandbox.dll'
    $script:IsRoot = (id -u) -eq '0'
    $script:Me = (id -un)
    $script:PgOwner = if ($IsRoot) { 'postgres' } else { $Me }
    $script:Pg = Get-Content -Raw $env:REALESTATEOPS_TEST_PG_INFO | ConvertFrom-Json
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Import-Module $ModuleManifest -Force

    function script:Get-Mode([string] $Path) { (& stat -c '%a %U' -- $Path) -join '' }

    # The sandbox program run directly, its output and exit code.
    function script:Invoke-SandboxProgram([string[]] $Arguments) {
        $out = & dotnet $script:SandboxDll @Arguments 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $out -join "`n" }
    }

    # A folder someone else could have made where the sandbox once looked: a file in it proves it was left alone.
    function script:New-PlantedFolder([string] $Path) {
        New-Item -ItemType Directory -Force (Join-Path $Path 'data') | Out-Null
        Set-Content -LiteralPath (Join-Path $Path 'planted.txt') $script:Marker
        Set-Content -LiteralPath (Join-Path $Path 'data/PG_VERSION') '15'
    }
    function script:Test-PlantedFolder([string] $Path) {
        (Test-Path -LiteralPath (Join-Path $Path 'planted.txt')) -and (Get-Content -LiteralPath (Join-Path $Path 'planted.txt')) -eq $script:Marker
    }
    # Removes a planted folder only when it still holds this run's marker (outside the isolated home it is a /tmp path).
    function script:Remove-PlantedFolder([string] $Path) {
        if ($Path -and (Test-PlantedFolder $Path)) { Remove-Item -LiteralPath $Path -Recurse -Force }
    }

    function script:Invoke-Psql([string] $Sql, [string] $Database = 'postgres') {
        $bin = Get-ChildItem /usr/lib/postgresql -Directory | Sort-Object { [int]$_.Name } -Descending | Select-Object -First 1
        $env:PGPASSWORD = $script:Pg.password
        try { & (Join-Path $bin 'bin/psql') -X -q -t -A -v ON_ERROR_STOP=1 -h $script:Pg.host -p $script:Pg.port -U $script:Pg.user -d $Database -c $Sql 2>&1 | ForEach-Object { "$_" } }
        finally { Remove-Item env:PGPASSWORD }
    }
}

AfterAll {
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Remove-Item env:REALESTATEOPS_SANDBOX_PG, env:REALESTATEOPS_PG_BIN -ErrorAction Ignore
    if ((Get-Content -LiteralPath (Join-Path $TestHome 'safety-test.marker') -ErrorAction Ignore) -eq $Marker) { Remove-IsolatedHome $TestHome }
}

Describe 'The throwaway PostgreSQL keeps its superuser password to itself' {
    It 'is 0700 (the postgres user''s as root) with the password file 0600 while initdb runs' {
        # A stand-in initdb reports what a local user could have read at that moment, then fails.
        $bin = Join-Path $TestHome 'fake-pg-bin'
        New-Item -ItemType Directory $bin | Out-Null
        $initdb = Join-Path $bin 'initdb'
        Set-Content -LiteralPath $initdb @'
#!/bin/sh
for a in "$@"; do case "$a" in --pwfile=*) pw="${a#--pwfile=}" ;; esac; done
echo "SEEN root $(stat -c '%a %U' "$(dirname "$pw")") pwfile $(stat -c '%a %U' "$pw")"
exit 1
'@
        chmod 0755 $bin $initdb
        $root = Join-Path $TestHome 'pg-fake'
        $env:REALESTATEOPS_PG_BIN = $bin
        try { $r = Invoke-SandboxProgram @('postgres', 'start', '--root', $root, '--info-file', (Join-Path $TestHome 'pg-fake.json')) }
        finally { Remove-Item env:REALESTATEOPS_PG_BIN }
        $r.ExitCode | Should -Not -Be 0
        $r.Output | Should -Match "SEEN root 700 $PgOwner pwfile 600 $PgOwner" -Because $r.Output
        Test-Path -LiteralPath $root | Should -BeFalse -Because 'a failed start removes the folder it made'
    }

    It 'never reuses a folder that already exists' {
        $root = Join-Path $TestHome 'pg-existing'
        New-PlantedFolder $root
        $r = Invoke-SandboxProgram @('postgres', 'start', '--root', $root, '--info-file', (Join-Path $TestHome 'pg-existing.json'))
        $r.ExitCode | Should -Not -Be 0
        $r.Output | Should -Match 'PostgresRootExists'
        Test-PlantedFolder $root | Should -BeTrue
    }

    It 'postgres stop leaves a folder it did not make (no marker, or a symlink) untouched' {
        $root = Join-Path $TestHome 'pg-planted'
        New-PlantedFolder $root
        $r = Invoke-SandboxProgram @('postgres', 'stop', '--root', $root)
        $r.ExitCode | Should -Not -Be 0
        $r.Output | Should -Match 'PostgresRootNotOwned'
        Test-PlantedFolder $root | Should -BeTrue
        $link = Join-Path $TestHome 'pg-link'
        New-Item -ItemType SymbolicLink -Path $link -Target $root | Out-Null
        (Invoke-SandboxProgram @('postgres', 'stop', '--root', $link)).Output | Should -Match 'PostgresRootNotOwned'
        Test-PlantedFolder $root | Should -BeTrue
    }
}

Describe 'A path with shell syntax never reaches pg_ctl''s shell' {
    BeforeAll {
        $script:Evil = Join-Path $TestHome 'evil'
        New-Item -ItemType Directory $Evil | Out-Null
        chmod 0777 $Evil # whoever the shell would run as (postgres, as root) could create the proof file here
        $script:Pwned = Join-Path $Evil 'pwned'
        $script:EvilRoot = Join-Path $Evil "`$(touch $Pwned)/pg"
    }
    AfterAll {
        # Had a server started there (the defect), stop it; pg_ctl stop itself runs no shell.
        $data = Join-Path $EvilRoot 'data'
        if (Test-Path -LiteralPath (Join-Path $data 'postmaster.pid')) {
            $pgCtl = Join-Path (Get-ChildItem /usr/lib/postgresql -Directory | Sort-Object { [int]$_.Name } -Descending | Select-Object -First 1) 'bin/pg_ctl'
            if ($IsRoot) { runuser -u postgres -- $pgCtl -D $data -m immediate -w stop } else { & $pgCtl -D $data -m immediate -w stop }
        }
    }

    It 'postgres start refuses a root with $(...) and runs nothing' {
        $r = Invoke-SandboxProgram @('postgres', 'start', '--root', $EvilRoot, '--info-file', (Join-Path $Evil 'pg.json'))
        $r.Output | Should -Match 'PostgresPathUnsafe'
        $r.ExitCode | Should -Not -Be 0
        Test-Path -LiteralPath $Pwned | Should -BeFalse
        Test-Path -LiteralPath $EvilRoot | Should -BeFalse
    }

    It 'Start-OpsSandbox refuses a state folder with $(...) and runs nothing' {
        $saved = $env:REALESTATEOPS_STATE_HOME
        $env:REALESTATEOPS_STATE_HOME = Join-Path $Evil "`$(touch $Pwned)"
        try {
            $started = Start-OpsSandbox -ErrorAction SilentlyContinue -ErrorVariable err
            if ($started) { Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore } # the defect: it started
        }
        finally { $env:REALESTATEOPS_STATE_HOME = $saved }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PostgresPathUnsafe*'
        Test-Path -LiteralPath $Pwned | Should -BeFalse
    }
}

Describe 'Start-OpsSandbox and Stop-OpsSandbox with their own PostgreSQL' {
    BeforeAll {
        $script:SandboxFolder = Join-Path $env:REALESTATEOPS_STATE_HOME 'sandbox'
        # As an earlier version left it: 0755 (Start-OpsSandbox narrows it to 0700).
        New-Item -ItemType Directory -Force $SandboxFolder | Out-Null
        chmod 0755 $SandboxFolder
        # Where the earlier sandbox put its server, predictably: planted there, it must survive start and stop.
        $hash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes([IO.Path]::GetFullPath($SandboxFolder)))).Substring(0, 12).ToLowerInvariant()
        $script:OldRoot = if ($IsRoot) { Join-Path ([IO.Path]::GetTempPath()) "realestateops-sandbox-pg-$hash" } else { Join-Path $SandboxFolder 'postgres' }
        if (Test-Path -LiteralPath $OldRoot) { throw "$OldRoot exists already: not this test's folder." }
        New-PlantedFolder $OldRoot
        # A record naming a folder that does not carry our marker (and, as root, belongs to another user).
        $script:RecordedRoot = Join-Path $TestHome 'recorded-pg'
        New-PlantedFolder $RecordedRoot
        Set-Content -LiteralPath (Join-Path $RecordedRoot '.realestateops-postgres-marker') 'recorded-id'
        if ($IsRoot) { chown -R nobody $RecordedRoot } else { Set-Content -LiteralPath (Join-Path $RecordedRoot '.realestateops-postgres-marker') 'another-id' }
        @{ root = $RecordedRoot; marker = 'recorded-id'; port = 1 } | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $SandboxFolder 'postgres.json')
        $script:Sandbox = Start-OpsSandbox
        $script:Record = Get-Content -Raw (Join-Path $SandboxFolder 'postgres.json') | ConvertFrom-Json
    }
    AfterAll {
        Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
        Remove-PlantedFolder $OldRoot
    }

    It 'keeps every file holding a secret 0600 in 0700 folders' {
        Get-Mode $SandboxFolder | Should -Be "700 $Me"
        foreach ($file in 'sandbox.json', 'sandbox-info.json', 'control-token', 'kubeconfig', 'aws-credentials', 'sandbox.log', 'postgres.json', 'real_estate_ai.pgpass', 'langfuse-secret-key', 'argocd-token', 'slack-webhook-url', 'teams-webhook-url', 'pagerduty-routing-key') {
            Get-Mode (Join-Path $SandboxFolder $file) | Should -Be "600 $Me" -Because $file
        }
        $Sandbox.DbPassFile | Should -Be (Join-Path $SandboxFolder 'real_estate_ai.pgpass')
    }

    It 'runs its PostgreSQL in a new folder under a random name, 0700, without the initdb password file' {
        $Record.root | Should -Not -Be $OldRoot
        $Record.root | Should -Not -Be $RecordedRoot
        Split-Path $Record.root -Leaf | Should -Match '^(realestateops-sandbox-pg|postgres)-[0-9a-f]{16}$'
        Get-Mode $Record.root | Should -Be "700 $PgOwner"
        Test-Path -LiteralPath (Join-Path $Record.root 'initdb.pw') | Should -BeFalse
        Get-Mode (Join-Path $Record.root '.realestateops-postgres-marker') | Should -Be "600 $Me"
    }

    It 'left the folders it did not make alone, and stops and removes only its own' {
        Test-PlantedFolder $OldRoot | Should -BeTrue
        Test-PlantedFolder $RecordedRoot | Should -BeTrue
        Stop-OpsSandbox -Confirm:$false
        Test-Path -LiteralPath $Record.root | Should -BeFalse
        Test-PlantedFolder $OldRoot | Should -BeTrue
        Test-PlantedFolder $RecordedRoot | Should -BeTrue
    }
}

Describe 'Stop-OpsSandbox kills only the sandbox it started' {
    BeforeAll {
        $script:SandboxFolder = Join-Path $env:REALESTATEOPS_STATE_HOME 'sandbox'
        New-Item -ItemType Directory -Force $SandboxFolder | Out-Null
        $script:Sleep = Start-Process sleep -ArgumentList 300 -PassThru
        $stat = Get-Content -Raw "/proc/$($Sleep.Id)/stat"
        $script:SleepTicks = [long](($stat.Substring($stat.LastIndexOf(')') + 1).Trim() -split ' ')[19])
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start()
        $script:ClosedPort = $listener.LocalEndpoint.Port; $listener.Stop()
    }
    AfterAll {
        if ($Sleep -and -not $Sleep.HasExited) { Stop-Process -Id $Sleep.Id -ErrorAction Ignore }
        Remove-Item -LiteralPath (Join-Path $SandboxFolder 'sandbox.json') -ErrorAction Ignore
    }

    It 'refuses a recorded process id that is another program (<Case>), kills nothing and says why' -ForEach @(
        @{ Case = 'same start time, not the sandbox program'; Ticks = 'same' }
        @{ Case = 'another start time'; Ticks = 'other' }
        @{ Case = 'no start time recorded'; Ticks = 'none' }
    ) {
        $state = [ordered]@{
            url = "http://127.0.0.1:$ClosedPort/"; port = $ClosedPort; processId = $Sleep.Id; startedAt = [DateTimeOffset]::UtcNow.ToString('o')
            speed = 1; faultRate = 0; stateFolder = $SandboxFolder; logFile = (Join-Path $SandboxFolder 'sandbox.log'); contextName = 'sandbox'
            dbHost = '127.0.0.1'; dbPort = 5432; dbName = 'real_estate_ai'; dbUser = 'real_estate_app'; dbPassFile = ''; pgVector = $false; services = @()
            sandboxAssembly = $SandboxDll; responding = $false
        }
        if ($Ticks -eq 'same') { $state.processStartTicks = $SleepTicks }
        elseif ($Ticks -eq 'other') { $state.processStartTicks = $SleepTicks + 1 }
        $state | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $SandboxFolder 'sandbox.json')

        Stop-OpsSandbox -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err
        $Sleep.Refresh()
        $Sleep.HasExited | Should -BeFalse -Because 'an unrelated process must never be killed'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SandboxProcessMismatch*'
        "$($err[0])" | Should -Match "Process $($Sleep.Id) is not the sandbox"
        Test-Path -LiteralPath (Join-Path $SandboxFolder 'sandbox.json') | Should -BeTrue
    }
}

Describe 'REALESTATEOPS_SANDBOX_PG: only what the sandbox created is altered' {
    BeforeAll {
        $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $script:Role = "reo_safety_app_$Suffix"
        $script:Db = "reo_safety_db_$Suffix"
        $script:Role2 = "reo_safety_app2_$Suffix"
        $null = Invoke-Psql "create role $Role login password 'not-the-sandbox-$Suffix'"
        $null = Invoke-Psql "create database $Db"
        $script:PasswordBefore = Invoke-Psql "select rolpassword from pg_authid where rolname = '$Role'"

        # The sandbox program pointed at the test server; it must refuse and exit (a bounded wait: if it ever
        # served instead, it is stopped here, as the process this test started).
        function script:Invoke-SandboxOnServer([string] $Database, [string] $AppUser) {
            $state = Join-Path $script:TestHome "state-$AppUser"
            $out = Join-Path $script:TestHome "out-$AppUser.txt"
            $env:REALESTATEOPS_SANDBOX_PG = $script:Pg.connectionString
            try {
                $p = Start-Process dotnet -ArgumentList @($script:SandboxDll, '--state-dir', $state, '--database', $Database, '--app-user', $AppUser) `
                    -RedirectStandardError $out -RedirectStandardOutput "$out.stdout" -PassThru
            }
            finally { Remove-Item env:REALESTATEOPS_SANDBOX_PG }
            if (-not $p.WaitForExit(180000)) { $p.Kill($true); throw 'The sandbox served on a role/database it did not create.' }
            [pscustomobject]@{ ExitCode = $p.ExitCode; Output = (Get-Content -Raw $out) + (Get-Content -Raw "$out.stdout") }
        }
    }
    AfterAll {
        $null = Invoke-Psql "drop database if exists $Db"
        $null = Invoke-Psql "drop role if exists $Role"
        $null = Invoke-Psql "drop role if exists $Role2"
    }

    It 'refuses to change the password of a role it did not create' {
        $r = Invoke-SandboxOnServer -Database $Db -AppUser $Role
        $r.ExitCode | Should -Not -Be 0
        $r.Output | Should -Match 'SandboxRoleNotOwned'
        Get-Mode (Join-Path $TestHome "state-$Role") | Should -Be "700 $Me" -Because 'the state folder is owner-only from its creation'
        Invoke-Psql "select rolpassword from pg_authid where rolname = '$Role'" | Should -Be $PasswordBefore
        Invoke-Psql "select count(*) from pg_tables where schemaname = 'public'" -Database $Db | Should -Be '0'
    }

    It 'refuses to seed a database it did not create, and creates no role either' {
        $r = Invoke-SandboxOnServer -Database $Db -AppUser $Role2
        $r.ExitCode | Should -Not -Be 0
        $r.Output | Should -Match 'SandboxDatabaseNotOwned'
        Invoke-Psql "select count(*) from pg_roles where rolname = '$Role2'" | Should -Be '0'
        Invoke-Psql "select count(*) from pg_tables where schemaname = 'public'" -Database $Db | Should -Be '0'
    }
}
