<#
.SYNOPSIS
    S3 benchmarks against the aws CLI (/usr/bin/aws) on the same sandbox, in one run:
      1. listing 50,000 versions: Get-S3ObjectVersion against aws s3api list-object-versions
         (time ratio, target <= 1.0; and our peak memory at 10,000 and 50,000 versions, which must not grow with the count);
      2. syncing 5,000 small objects to an empty bucket: Sync-S3Bucket against aws s3 sync (target <= 0.5);
      3. restoring a prefix of 2,000 deleted keys: Restore-S3Object -Prefix against a shell loop of
         aws s3api delete-object --version-id (the loop is timed on -LoopSample keys, 50 by default, and scaled to 2,000: one aws process per key takes most of a second here).
    Data is created in bulk by the sandbox (POST /_sandbox/s3/populate), so set-up costs neither side.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/S3.Bench.ps1 -ModulePath out/RealEstateOps/RealEstateOps.psd1
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Versions = 50000,
    [int] $SyncObjects = 5000,
    [int] $RestoreKeys = 2000,
    [int] $LoopSample = 50
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
if (-not (Test-Path /usr/bin/aws)) { throw '/usr/bin/aws is missing: build.ps1 -Task Bench installs Debian''s awscli.' }

# The bench runs in folders of its own: the operator's contexts, journal and sandbox are never touched.
$benchHome = Join-Path ([IO.Path]::GetTempPath()) ('reo-bench-s3-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory $benchHome | Out-Null
$saved = @{}
foreach ($k in 'REALESTATEOPS_CONFIG_HOME', 'REALESTATEOPS_DATA_HOME', 'REALESTATEOPS_STATE_HOME', 'REALESTATEOPS_CONTEXT', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PAGER') {
    $saved[$k] = [Environment]::GetEnvironmentVariable($k)
}
$env:REALESTATEOPS_CONFIG_HOME = Join-Path $benchHome 'config'
$env:REALESTATEOPS_DATA_HOME = Join-Path $benchHome 'data'
$env:REALESTATEOPS_STATE_HOME = Join-Path $benchHome 'state'
$env:REALESTATEOPS_CONTEXT = $null

Import-Module $ModulePath -Force
$sandbox = Start-OpsSandbox
try {
    Use-OpsContext sandbox
    $url = $sandbox.Url.TrimEnd('/')
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $sandbox.StateFolder 'aws-credentials'
    $env:AWS_CONFIG_FILE = Join-Path $benchHome 'aws-config-none'
    $env:AWS_PAGER = ''
    $aws = @('--profile', 'sandbox', '--region', 'us-east-1', '--endpoint-url', $url)
    # The sandbox's control endpoints need its control token (random for each start).
    $control = @{ 'X-Sandbox-Token' = (Get-Content -Raw $sandbox.ControlTokenFile).Trim() }
    function Populate([string] $Bucket, [int] $Keys, [int] $PerKey = 1, [switch] $Deleted, [string] $Prefix = '') {
        $body = @{ bucket = $Bucket; keys = $Keys; versions = $PerKey; deleted = [bool]$Deleted; prefix = $Prefix } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri "$url/_sandbox/s3/populate" -Headers $control -Body $body -ContentType 'application/json' | Out-Null
    }
    function Seconds([scriptblock] $Action) { [math]::Round((Measure-Command $Action).TotalSeconds, 2) }
    # Peak memory (MiB) of a child pwsh that lists N versions with the module, streaming into Measure-Object.
    function OurPeakMiB([string] $Bucket) {
        $script = "Import-Module '$ModulePath'; Use-OpsContext sandbox; `$n = (Get-S3ObjectVersion -Bucket $Bucket | Measure-Object).Count; " +
            "'{0} {1}' -f `$n, [math]::Round([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB)"
        $line = & dotnet pwsh -NoProfile -NonInteractive -c $script | Select-Object -Last 1
        $count, $mib = $line -split ' '
        [pscustomobject]@{ Count = [int]$count; MiB = [int]$mib }
    }
    # Peak memory (MiB) of the aws CLI listing the same bucket (GNU time's maximum resident set).
    function CliPeakMiB([string] $Bucket) {
        $out = & /usr/bin/time -f 'maxrss %M' /usr/bin/aws @aws s3api list-object-versions --bucket $Bucket --output json 2>&1 | Select-Object -Last 1
        if ("$out" -match 'maxrss (\d+)') { [math]::Round([int]$Matches[1] / 1024) } else { $null }
    }

    # ---------------------------------------------------------------- 1. listing versions
    Write-Host "== 1. Listing $Versions versions"
    $small = [math]::Max(1000, [int]($Versions / 5))
    Populate bench-versions -Keys ($Versions / 5) -PerKey 5
    Populate bench-versions-small -Keys ($small / 5) -PerKey 5
    Get-S3ObjectVersion -Bucket bench-versions -Prefix 0000000 | Out-Null   # warm both sides' first call
    & /usr/bin/aws @aws s3api list-object-versions --bucket bench-versions --prefix 0000000 --output json | Out-Null
    $ourCount = 0
    $ours = Seconds { $script:ourCount = (Get-S3ObjectVersion -Bucket bench-versions | Measure-Object).Count }
    $cliJson = Join-Path $benchHome 'versions.json'
    $cli = Seconds { & /usr/bin/aws @aws s3api list-object-versions --bucket bench-versions --output json > $cliJson }
    $cliCount = @((Get-Content -Raw $cliJson | ConvertFrom-Json).Versions).Count
    $peakSmall = OurPeakMiB bench-versions-small
    $peakLarge = OurPeakMiB bench-versions
    $cliPeakSmall = CliPeakMiB bench-versions-small
    $cliPeakLarge = CliPeakMiB bench-versions
    [pscustomobject]@{
        Benchmark                 = "list $Versions versions"
        'Get-S3ObjectVersion (s)' = $ours
        'aws s3api (s)'           = $cli
        'versions (ours/aws)'     = "$ourCount/$cliCount"
        Ratio                     = [math]::Round($ours / $cli, 3)
        'Target ratio'            = '<= 1.0'
        'Met'                     = ($ours / $cli) -le 1.0
        'our peak MiB'            = "$($peakSmall.MiB) at $($peakSmall.Count), $($peakLarge.MiB) at $($peakLarge.Count)"
        'aws peak MiB'            = "$cliPeakSmall at $($peakSmall.Count), $cliPeakLarge at $($peakLarge.Count)"
        'our memory growth (MiB)' = $peakLarge.MiB - $peakSmall.MiB
    } | Format-List | Out-Host

    # ---------------------------------------------------------------- 2. sync to an empty bucket
    Write-Host "== 2. Syncing $SyncObjects small objects to an empty bucket"
    Populate bench-sync-src -Keys $SyncObjects
    Populate bench-sync-ours -Keys 0
    Populate bench-sync-cli -Keys 0
    $syncResult = $null
    $ours = Seconds { $script:syncResult = Sync-S3Bucket s3://bench-sync-src/ s3://bench-sync-ours/ -Force }
    $cli = Seconds { & /usr/bin/aws @aws s3 sync --only-show-errors s3://bench-sync-src/ s3://bench-sync-cli/ | Out-Null }
    $cliObjects = @((& /usr/bin/aws @aws s3api list-objects-v2 --bucket bench-sync-cli --output json | ConvertFrom-Json).Contents).Count
    [pscustomobject]@{
        Benchmark             = "sync $SyncObjects objects"
        'Sync-S3Bucket (s)'   = $ours
        'aws s3 sync (s)'     = $cli
        'copied (ours/aws)'   = "$($syncResult.Copied)/$cliObjects"
        Ratio                 = [math]::Round($ours / $cli, 3)
        'Target ratio'        = '<= 0.5'
        Met                   = ($ours / $cli) -le 0.5
        'our parallelism'     = 32
        'aws parallelism'     = 10
    } | Format-List | Out-Host

    # ---------------------------------------------------------------- 3. restore a prefix of deleted keys
    Write-Host "== 3. Restoring a prefix of $RestoreKeys deleted keys"
    Populate bench-restore-ours -Keys $RestoreKeys -Deleted -Prefix 'docs/'
    Populate bench-restore-cli -Keys $LoopSample -Deleted -Prefix 'docs/'
    $restored = 0
    $loopFailures = 0
    $ours = Seconds { $script:restored = @(Restore-S3Object -Bucket bench-restore-ours -Prefix docs/ -Force | Where-Object Status -eq 'Restored').Count }
    $loop = Seconds {
        $markers = (& /usr/bin/aws @aws s3api list-object-versions --bucket bench-restore-cli --prefix docs/ --output json | ConvertFrom-Json).DeleteMarkers |
            Where-Object IsLatest
        foreach ($m in $markers) {
            & /usr/bin/aws @aws s3api delete-object --bucket bench-restore-cli --key $m.Key --version-id $m.VersionId | Out-Null
            if ($LASTEXITCODE -ne 0) { $script:loopFailures++ }
        }
    }
    $left = @((& /usr/bin/aws @aws s3api list-object-versions --bucket bench-restore-cli --output json | ConvertFrom-Json).DeleteMarkers | Where-Object { $_ }).Count
    $loopScaled = [math]::Round($loop * $RestoreKeys / $LoopSample, 1)
    [pscustomobject]@{
        Benchmark                   = "restore $RestoreKeys deleted keys"
        'Restore-S3Object (s)'      = $ours
        'restored (ours)'           = $restored
        "aws loop, $LoopSample keys (s)" = $loop
        "aws loop scaled to $RestoreKeys (s)" = $loopScaled
        'aws calls failed / markers left' = "$loopFailures / $left"
        Ratio                       = [math]::Round($ours / $loopScaled, 4)
        Speedup                     = "{0:0}x" -f ($loopScaled / [math]::Max($ours, 0.001))
    } | Format-List | Out-Host

    $ops = (Invoke-RestMethod "$url/_sandbox/requests" -Headers $control).operations
    Write-Host ("Sandbox S3 requests in this run: " + (($ops.PSObject.Properties | Sort-Object Value -Descending | Select-Object -First 10 | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ', '))
}
finally {
    Stop-OpsSandbox -Confirm:$false
    Remove-Module RealEstateOps -ErrorAction Ignore
    foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    $temp = [IO.Path]::GetFullPath([IO.Path]::GetTempPath())
    if ($benchHome.StartsWith($temp) -and (Split-Path $benchHome -Leaf) -like 'reo-bench-s3-*') { Remove-Item $benchHome -Recurse -Force -ErrorAction Ignore }
}
