# Export-Database -Jobs / Import-Database -Jobs on the sandbox: the prefix's files and manifest checked with the aws CLI,
# a parallel restore into a new database, a damaged file, and a stopped export (Ctrl+C). Every database and prefix is the test's own.
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
    $script:Bucket = 'real-estate-ai-backups'
    $script:Run = 'tests/parallel-' + [guid]::NewGuid().ToString('N').Substring(0, 10)

    function script:Invoke-Sql([string] $Sql, [string] $Database = $Ctx.DbName) {
        $env:PGPASSWORD = $Password
        try { (& $Psql -X -h $Ctx.DbHost -p $Ctx.DbPort -U $Ctx.DbUser -d $Database -tAc $Sql 2>&1) -join "`n" }
        finally { Remove-Item env:PGPASSWORD -ErrorAction Ignore }
    }
    # A new empty database of the test's own (the sandbox's master user may create databases, as on RDS).
    function script:New-ScratchDatabase {
        $name = 'parallel_' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        $out = Invoke-Sql -Database postgres "create database $name"
        if ($out -notmatch 'CREATE DATABASE') { throw "create database failed: $out" }
        $name
    }
    Set-SandboxAwsEnvironment $Sandbox $TestHome
    function script:Invoke-Aws { Invoke-SandboxAws -Url $Sandbox.Url.TrimEnd('/') @args }
    function script:ErrorIdOf([scriptblock] $Command) {
        $ErrorActionPreference = 'Stop'
        try { $null = & $Command; $null } catch { $_.FullyQualifiedErrorId.Split(',')[0] }
    }
    $script:Downloads = Join-Path $TestHome 'downloads'
    New-Item -ItemType Directory $Downloads | Out-Null
    function script:Get-S3Bytes([string] $Key) {
        $file = Join-Path $Downloads ([guid]::NewGuid().ToString('N'))
        Invoke-Aws s3api get-object --bucket $Bucket --key $Key $file | Out-Null
        $file
    }
    $script:Databases = [Collections.Generic.List[string]]::new()
}

AfterAll {
    foreach ($db in $script:Databases) { Invoke-Sql -Database postgres "drop database if exists $db" | Out-Null }
    try {
        $left = Invoke-Aws s3api list-objects-v2 --bucket $Bucket --prefix "$Run/"
        foreach ($o in @($left.Contents)) { if ($o.Key -like "$Run/*") { Invoke-Aws s3api delete-object --bucket $Bucket --key $o.Key | Out-Null } }
    } catch { }
    Stop-OpsSandbox -Confirm:$false
    Use-OpsContext -Reset -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Clear-SandboxAwsEnvironment
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'Export-Database -Jobs 2 and Import-Database -Jobs 2' {
    BeforeAll {
        $script:Prefix = "$Run/platform"
        $script:Artifact = Export-Database "s3://$Bucket/$Prefix" -Jobs 2 -CompressionLevel 6 -Confirm:$false
        $script:ManifestFile = Get-S3Bytes "$Prefix/manifest.json"
        $script:Manifest = Get-Content -Raw $ManifestFile | ConvertFrom-Json
    }

    It 'writes the files and a manifest whose SHA-256 match the objects'' content as the aws CLI reads it' {
        $Artifact.Jobs | Should -Be 2
        $Artifact.Location | Should -BeExactly "s3://$Bucket/$Prefix"
        $Artifact.Sha256 | Should -Be (Get-FileHash -Algorithm SHA256 $ManifestFile).Hash.ToLowerInvariant()
        $Manifest.format | Should -BeExactly 'realestateops-parallel'
        $Manifest.compressionLevel | Should -Be 6
        $Manifest.database | Should -BeExactly $Ctx.DbName
        @($Manifest.files | Where-Object kind -eq 'pre-data').Count | Should -Be 1
        @($Manifest.files | Where-Object kind -eq 'post-data').Count | Should -Be 1
        $listed = @((Invoke-Aws s3api list-objects-v2 --bucket $Bucket --prefix "$Prefix/").Contents.Key)
        foreach ($f in $Manifest.files) {
            "$Prefix/$($f.key)" | Should -BeIn $listed
            $file = Get-S3Bytes "$Prefix/$($f.key)"
            (Get-FileHash -Algorithm SHA256 $file).Hash.ToLowerInvariant() | Should -BeExactly $f.sha256 -Because $f.key
            (Get-Item $file).Length | Should -Be $f.size
        }
    }

    It 'records each table''s exact row count' {
        foreach ($t in $Manifest.tables) {
            $t.rows | Should -Be ([long](Invoke-Sql "select count(*) from only `"$($t.schema)`".`"$($t.table)`"")) -Because $t.name
        }
        $Manifest.tables.name | Should -Contain 'public.properties'
        $Artifact.RowCounts['public.properties'] | Should -Be ($Manifest.tables | Where-Object name -eq 'public.properties').rows
    }

    It 'restores into a new database with the same row counts, piped' {
        $target = New-ScratchDatabase
        $Databases.Add($target)
        $import = $Artifact | Import-Database -Database $target -Confirm:$false
        $import.Jobs | Should -Be 2
        foreach ($t in $Manifest.tables) {
            [long](Invoke-Sql "select count(*) from `"$($t.schema)`".`"$($t.table)`"" -Database $target) | Should -Be $t.rows -Because $t.name
        }
        Invoke-Sql "select count(*) from pg_indexes where schemaname = 'public'" -Database $target | Should -Be (Invoke-Sql "select count(*) from pg_indexes where schemaname = 'public'")
    }

    It 'refuses a prefix that already holds an export without -Overwrite' {
        ErrorIdOf { Export-Database "s3://$Bucket/$Prefix" -Jobs 2 -Confirm:$false } | Should -BeExactly 'BackupObjectExists'
    }

    It 'fails with ExportChecksumMismatch on a damaged file and leaves the target untouched' {
        $prefix = "$Run/damaged"
        Export-Database "s3://$Bucket/$prefix" -Jobs 2 -Confirm:$false | Out-Null
        $victim = ((Get-Content -Raw (Get-S3Bytes "$prefix/manifest.json") | ConvertFrom-Json).files | Where-Object kind -eq 'data' | Select-Object -First 1).key
        $file = Get-S3Bytes "$prefix/$victim"
        $bytes = [IO.File]::ReadAllBytes($file)
        $bytes[[int]($bytes.Length / 2)] = $bytes[[int]($bytes.Length / 2)] -bxor 0xFF
        [IO.File]::WriteAllBytes($file, $bytes)
        Invoke-Aws s3api put-object --bucket $Bucket --key "$prefix/$victim" --body $file | Out-Null
        $target = New-ScratchDatabase
        $Databases.Add($target)
        ErrorIdOf { Import-Database "s3://$Bucket/$prefix" -Database $target -Jobs 2 -Confirm:$false } | Should -BeExactly 'ExportChecksumMismatch'
        Invoke-Sql "select count(*) from pg_tables where schemaname = 'public'" -Database $target | Should -Be '0'
    }

    It 'leaves no manifest and no open upload when stopped (Ctrl+C) in the middle' {
        $source = New-ScratchDatabase
        $Databases.Add($source)
        Invoke-Sql "create table blobs (id int primary key, body bytea not null); insert into blobs select g, decode(repeat(md5(random()::text) || md5(random()::text), 4), 'hex') from generate_series(1, 400000) g" -Database $source | Out-Null
        $prefix = "$Run/stopped"
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($Manifest, $Destination, $Database)
            Import-Module $Manifest
            Use-OpsContext sandbox
            Export-Database $Destination -Database $Database -Jobs 2 -CompressionLevel 9 -Confirm:$false
        }).AddArgument($ModuleManifest).AddArgument("s3://$Bucket/$prefix").AddArgument($source)
        $async = $ps.BeginInvoke()
        try {
            # Stopped once an upload is in flight (a multipart upload under the prefix).
            $seen = Wait-Until { @((Invoke-Aws s3api list-multipart-uploads --bucket $Bucket --prefix "$prefix/").Uploads).Count -gt 0 } 60
            $seen | Should -BeTrue
            $ps.Stop()
        } finally { $ps.Dispose() }
        # Ctrl+C returns at once; the stopped export aborts its uploads and removes its files on its own, right after.
        $uploads = { @((Invoke-Aws s3api list-multipart-uploads --bucket $Bucket --prefix "$prefix/").Uploads | Where-Object { $_ }).Count }
        $objects = { @((Invoke-Aws s3api list-objects-v2 --bucket $Bucket --prefix "$prefix/").Contents | Where-Object { $_ }).Count }
        Wait-Until { (& $uploads) -eq 0 -and (& $objects) -eq 0 } 60 | Out-Null
        & $uploads | Should -Be 0
        & $objects | Should -Be 0
        ErrorIdOf { Invoke-Aws s3api head-object --bucket $Bucket --key "$prefix/manifest.json" } | Should -Not -BeNullOrEmpty
    }
}
