<#
.SYNOPSIS
    Parallel export and import against the peer tools, in one run on one sandbox, on the platform database grown to
    >= 200 MB as bench/Rds.Bench.ps1 grows it (a bench_documents table):
    1. Export-Database -Jobs 2 straight to S3 against 'pg_dump -Fc' to a file then 'aws s3 cp', at EQUAL compression
       (gzip 6, then gzip 1). Target: ratio <= 0.6.
    2. Import-Database -Jobs 2 of that prefix against 'aws s3 cp' of the peer's dump then 'pg_restore -j 2', each into a
       new empty database. Target: ratio <= 1.0.
    Each figure is the best of -Runs runs, interleaved with the peer's. Timings live here, never in tests.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Runs = 2,
    [int] $DatabaseMB = 200,
    [int] $Jobs = 2
)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) ('reo-bench-par-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $work | Out-Null
$env:REALESTATEOPS_CONFIG_HOME = Join-Path $work 'config'
$env:REALESTATEOPS_DATA_HOME = Join-Path $work 'data'
$env:REALESTATEOPS_STATE_HOME = Join-Path $work 'state'
$env:REALESTATEOPS_CONTEXT = $null
Import-Module $ModulePath -Force
$aws = '/usr/bin/aws'
if (-not (Test-Path $aws)) { throw 'The aws CLI (/usr/bin/aws, Debian''s awscli) is needed: build.ps1 installs it.' }

$sandbox = Start-OpsSandbox -Speed 100
try {
    Use-OpsContext sandbox
    $ctx = Get-OpsContext
    $url = $sandbox.Url.TrimEnd('/')
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $sandbox.StateFolder 'aws-credentials'
    $env:AWS_CONFIG_FILE = Join-Path $work 'aws-config'
    $env:AWS_PROFILE = 'sandbox'
    $env:AWS_DEFAULT_REGION = 'us-east-1'
    $env:AWS_PAGER = ''
    $env:PGPASSFILE = $ctx.DbPassFile

    $psql = @('-X', '-w', '-q', '-h', $ctx.DbHost, '-p', $ctx.DbPort, '-U', $ctx.DbUser)
    $rows = [int]($DatabaseMB * 1024 * 1024 / 220)
    & psql @psql -d $ctx.DbName -c "create table if not exists bench_documents (id int primary key, title text not null, body text not null)" -c "truncate bench_documents" `
        -c "insert into bench_documents select g, 'document ' || g, md5(random()::text) || md5(random()::text) || md5(random()::text) || ' ' || repeat('listing ', 6) from generate_series(1, $rows) g" `
        -c "vacuum analyze bench_documents"
    if ($LASTEXITCODE -ne 0) { throw 'Creating the benchmark table failed.' }
    $sizeMB = [math]::Round([long]("$(& psql @psql -d $ctx.DbName -A -t -c "select pg_database_size(current_database())")".Trim()) / 1MB)
    if ($sizeMB -lt $DatabaseMB) { throw "The database is only $sizeMB MB." }
    $bin = (Get-ChildItem /usr/lib/postgresql/*/bin/pg_dump | Sort-Object { [int]$_.Directory.Parent.Name } -Descending | Select-Object -First 1).Directory.FullName
    $dumpFile = Join-Path $work 'peer.dump'
    $n = 0
    function New-Target {
        $script:n++
        $name = "bench_import_$script:n"
        & psql @psql -d postgres -c "drop database if exists $name" -c "create database $name" | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "create database $name failed" }
        $name
    }

    foreach ($level in 6, 1) {
        $prefix = "bench/parallel-gzip$level"
        $oursExport = [double]::MaxValue; $peerExport = [double]::MaxValue; $artifact = $null
        foreach ($i in 1..($Runs + 1)) {
            $peerExport = [math]::Min($peerExport, (Measure-Command {
                & "$bin/pg_dump" -Fc "-Z$level" -w -h $ctx.DbHost -p $ctx.DbPort -U $ctx.DbUser -d $ctx.DbName -f $dumpFile
                if ($LASTEXITCODE -ne 0) { throw 'pg_dump failed' }
                & $aws --endpoint-url $url s3 cp $dumpFile "s3://real-estate-ai-backups/bench/peer-gzip$level.dump" --only-show-errors
                if ($LASTEXITCODE -ne 0) { throw 'aws s3 cp failed' }
            }).TotalMilliseconds)
            $oursExport = [math]::Min($oursExport, (Measure-Command {
                $script:artifact = Export-Database "s3://real-estate-ai-backups/$prefix" -Jobs $Jobs -CompressionLevel $level -Overwrite -Confirm:$false
            }).TotalMilliseconds)
        }
        [pscustomobject]@{
            Benchmark                                = "Export-Database -Jobs $Jobs of a $sizeMB MB database to S3, both gzip $level"
            "Export-Database -Jobs $Jobs (ms)"       = [math]::Round($oursExport)
            'pg_dump -Fc + aws s3 cp (ms)'           = [math]::Round($peerExport)
            Ratio                                    = [math]::Round($oursExport / $peerExport, 3)
            'export size (MB)'                       = $artifact.SizeMB
            'peer dump size (MB)'                    = [math]::Round((Get-Item $dumpFile).Length / 1MB, 2)
            Target                                   = 'ratio <= 0.6'
            Met                                      = ($oursExport / $peerExport) -le 0.6
        } | Format-List | Out-Host

        $oursImport = [double]::MaxValue; $peerImport = [double]::MaxValue
        $peerFile = Join-Path $work 'peer-download.dump'
        foreach ($i in 1..$Runs) {
            $peerTarget = New-Target
            $peerImport = [math]::Min($peerImport, (Measure-Command {
                & $aws --endpoint-url $url s3 cp "s3://real-estate-ai-backups/bench/peer-gzip$level.dump" $peerFile --only-show-errors
                if ($LASTEXITCODE -ne 0) { throw 'aws s3 cp failed' }
                & "$bin/pg_restore" -w -h $ctx.DbHost -p $ctx.DbPort -U $ctx.DbUser -d $peerTarget --no-owner --no-privileges --exit-on-error -j $Jobs $peerFile
                if ($LASTEXITCODE -ne 0) { throw 'pg_restore failed' }
            }).TotalMilliseconds)
            Remove-Item $peerFile -ErrorAction Ignore
            $oursTarget = New-Target
            $oursImport = [math]::Min($oursImport, (Measure-Command {
                Import-Database "s3://real-estate-ai-backups/$prefix" -Database $oursTarget -Jobs $Jobs -Confirm:$false | Out-Null
            }).TotalMilliseconds)
            $a = "$(& psql @psql -d $peerTarget -A -t -c 'select count(*) from bench_documents')".Trim()
            $b = "$(& psql @psql -d $oursTarget -A -t -c 'select count(*) from bench_documents')".Trim()
            if ($a -ne $b -or $a -ne "$rows") { throw "Restored $b (ours) and $a (pg_restore) rows, expected $rows." }
            & psql @psql -d postgres -c "drop database $peerTarget" -c "drop database $oursTarget" | Out-Null
        }
        [pscustomobject]@{
            Benchmark                                   = "Import-Database -Jobs $Jobs of that export into a new database, gzip $level"
            "Import-Database -Jobs $Jobs (ms)"          = [math]::Round($oursImport)
            "aws s3 cp + pg_restore -j $Jobs (ms)"      = [math]::Round($peerImport)
            Ratio                                       = [math]::Round($oursImport / $peerImport, 3)
            Target                                      = 'ratio <= 1.0'
            Met                                         = ($oursImport / $peerImport) -le 1.0
        } | Format-List | Out-Host
    }
}
finally {
    Stop-OpsSandbox -Confirm:$false | Out-Null
    foreach ($v in 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_DEFAULT_REGION', 'AWS_PAGER', 'PGPASSFILE') { Remove-Item "env:$v" -ErrorAction Ignore }
    if ((Split-Path $work -Leaf) -like 'reo-bench-par-*') { Remove-Item $work -Recurse -Force -ErrorAction Ignore }
}
