# Safety of the S3 cmdlets, end to end on a sandbox: each case is a scenario that lost data or hid what
# happened before (a sync that emptied a bucket, a restore that overwrote the only copy, a raw .NET
# exception for a closed endpoint, a stopped sync that did not say what it had changed).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Import-Module $ModuleManifest -Force
    Use-TestPostgres
    $script:Sandbox = Start-OpsSandbox
    Use-OpsContext sandbox
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox
    Set-SandboxAwsEnvironment $Sandbox $TestHome

    # The aws CLI on the sandbox (it signs as AWS does): JSON output parsed, or the raw lines with -Raw.
    function script:Invoke-Aws { Invoke-SandboxAws -Url $script:Url @args }
    function script:New-TestBucket([string] $Stem, [switch] $Versioned) { New-SandboxBucket -Url $script:Url -Stem $Stem -Versioned:$Versioned }
    # Local files named $Names (content "object <name>") uploaded under s3://$Bucket/$Prefix in one CLI call.
    function script:Add-TestObjects([string] $Bucket, [string] $Prefix, [string[]] $Names) {
        $folder = Join-Path $TestHome ('up-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $folder | Out-Null
        foreach ($n in $Names) { Set-Content -NoNewline -Path (Join-Path $folder $n) -Value "object $n" }
        Invoke-Aws -Raw s3 cp --recursive --only-show-errors $folder "s3://$Bucket/$Prefix" | Out-Null
    }
    function script:Get-TestKeys([string] $Bucket) {
        @((Invoke-Aws s3api list-objects-v2 --bucket $Bucket).Contents | Where-Object { $_ } | ForEach-Object Key)
    }
    function script:Get-ObjectText([string] $Bucket, [string] $Key) {
        $file = Join-Path $TestHome ('get-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        Invoke-Aws s3api get-object --bucket $Bucket --key $Key $file | Out-Null
        Get-Content -Raw $file
    }
}

AfterAll {
    Stop-OpsSandbox -Confirm:$false
    Use-OpsContext -Reset -ErrorAction Ignore   # the session's choice would outlive this file
    Remove-Module RealEstateOps -ErrorAction Ignore
    Clear-SandboxAwsEnvironment
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'Sync-S3Bucket -Delete' {
    It 'refuses an empty source with SyncSourceEmpty and leaves every destination object in place' {
        $src = New-TestBucket 'safe-src'
        $dst = New-TestBucket 'safe-dst'
        Add-TestObjects $dst 'data/' 'a', 'b', 'c', 'd', 'e'

        $result = Sync-S3Bucket "s3://$src/data/" "s3://$dst/data/" -Delete -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SyncSourceEmpty*'
        $err[0].Exception.Message | Should -Match '-AllowMassDelete'
        (Get-TestKeys $dst).Count | Should -Be 5
        (Get-OpsJournal -Command Sync-S3Bucket | Where-Object Target -eq "s3://$dst/data/" | Select-Object -Last 1).ErrorId | Should -Be 'SyncSourceEmpty'
    }

    It 'says under -WhatIf how many objects it would delete, refuses more than -MaxDeletePercent, and deletes what it said' {
        $src = New-TestBucket 'safe-src'
        $dst = New-TestBucket 'safe-dst'
        Add-TestObjects $dst 'data/' 'a', 'b', 'c', 'd', 'e'
        Add-TestObjects $src 'data/' 'a', 'b', 'c'

        $child = Invoke-ChildPwsh "Import-Module '$ModuleManifest'; Use-OpsContext sandbox; Sync-S3Bucket s3://$src/data/ s3://$dst/data/ -Delete -WhatIf"
        $text = ($child.Output -join ' ') -replace '\s+', ' '
        $text | Should -Match ([regex]::Escape("Delete 2 objects under s3://$dst/data/ that are not in the source (of 5 there)"))
        $text | Should -Match 'What if:'
        (Get-TestKeys $dst).Count | Should -Be 5

        Sync-S3Bucket "s3://$src/data/" "s3://$dst/data/" -Delete -MaxDeletePercent 30 -Force -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SyncDeleteLimitExceeded*'
        (Get-TestKeys $dst).Count | Should -Be 5

        $done = Sync-S3Bucket "s3://$src/data/" "s3://$dst/data/" -Delete -Force
        $done.Deleted | Should -Be 2
        Get-TestKeys $dst | Should -Be @('data/a', 'data/b', 'data/c')
    }
}

Describe 'Restore-S3Object on a bucket whose versioning is Suspended' {
    It 'is refused with S3VersioningSuspended, and the null version (the only copy) is unchanged' {
        $bucket = New-TestBucket 'safe-susp' -Versioned
        $first = Join-Path $TestHome 'first.txt'; Set-Content -NoNewline -Path $first -Value 'first'
        $second = Join-Path $TestHome 'second.txt'; Set-Content -NoNewline -Path $second -Value 'second'
        $only = Join-Path $TestHome 'only.txt'; Set-Content -NoNewline -Path $only -Value 'only copy'
        $v1 = (Invoke-Aws s3api put-object --bucket $bucket --key doc.pdf --body $first).VersionId
        Invoke-Aws s3api put-object --bucket $bucket --key doc.pdf --body $second | Out-Null
        Invoke-Aws s3api put-bucket-versioning --bucket $bucket --versioning-configuration Status=Suspended | Out-Null
        $asOf = Get-Date
        Start-Sleep -Milliseconds 1100
        (Invoke-Aws s3api put-object --bucket $bucket --key doc.pdf --body $only).VersionId | Should -BeIn @($null, 'null')
        Invoke-Aws s3api put-object --bucket $bucket --key new.pdf --body $only | Out-Null

        Restore-S3Object -Bucket $bucket -Key doc.pdf -VersionId $v1 -Force -ErrorVariable e1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e1[0].FullyQualifiedErrorId | Should -BeLike 'S3VersioningSuspended*'
        Restore-S3Object -Bucket $bucket -Prefix '' -AsOf $asOf -RemoveNewer -Force -ErrorVariable e2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e2[0].FullyQualifiedErrorId | Should -BeLike 'S3VersioningSuspended*'

        Get-ObjectText $bucket doc.pdf | Should -Be 'only copy'
        Get-ObjectText $bucket new.pdf | Should -Be 'only copy'
        $versions = Invoke-Aws s3api list-object-versions --bucket $bucket
        @($versions.DeleteMarkers | Where-Object { $_ }).Count | Should -Be 0
        @($versions.Versions | Where-Object Key -eq 'doc.pdf').Count | Should -Be 3
        ($versions.Versions | Where-Object { $_.Key -eq 'doc.pdf' -and $_.IsLatest }).VersionId | Should -Be 'null'
    }
}

Describe 'An S3 endpoint that cannot be reached' {
    It 'is S3Unreachable (ConnectionError), like RdsUnreachable and KubeApiUnreachable, not a raw HttpRequestException' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

        Get-S3ObjectVersion -Bucket real-estate-ai-assets -EndpointUrl "http://127.0.0.1:$port" -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'S3Unreachable*'
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'

        Sync-S3Bucket s3://real-estate-ai-assets/ s3://real-estate-ai-backups/x/ -EndpointUrl "http://127.0.0.1:$port" -Force -ErrorVariable err2 -ErrorAction SilentlyContinue | Out-Null
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'S3Unreachable*'
    }
}

Describe 'A sync stopped with Ctrl+C' {
    It 'journals which keys it copied and which was in flight, and the rerun copies the rest' {
        $src = New-TestBucket 'safe-stop-src'
        $dst = New-TestBucket 'safe-stop-dst'
        Add-TestObjects $src '' 'k0', 'k1', 'k2', 'k3', 'k4', 'k5'
        # The sandbox holds the copy onto k3 for two minutes: the stop lands after k0..k2, with k3 in flight.
        $rule = @{ rules = @(@{ bucket = $dst; operation = 'CopyObject'; key = 'k3'; latencyMs = 120000 }) } | ConvertTo-Json -Depth 4
        Invoke-RestMethod -Method Put -Uri "$Url/_sandbox/s3/faults" -Headers $Control -Body $rule -ContentType 'application/json' | Out-Null
        function Get-Copies { $n = (Invoke-RestMethod "$Url/_sandbox/requests" -Headers $Control).operations.'s3:CopyObject'; if ($n) { [long]$n } else { 0L } }
        $before = Get-Copies

        # Another runspace of this process runs the sync; Stop() is what Ctrl+C does to it.
        $ps = [powershell]::Create()
        try {
            [void] $ps.AddScript("Import-Module '$ModuleManifest'; Use-OpsContext sandbox; Sync-S3Bucket s3://$src/ s3://$dst/ -ThrottleLimit 1 -Force")
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-Copies) -lt $before + 4 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Get-Copies | Should -Be ($before + 4)
            $ps.Stop()
            $handle.IsCompleted | Should -BeTrue
        }
        finally {
            $ps.Dispose()
            Invoke-RestMethod -Method Delete -Uri "$Url/_sandbox/s3/faults" -Headers $Control | Out-Null
        }

        Get-TestKeys $dst | Should -Be @('k0', 'k1', 'k2')
        $entry = Get-OpsJournal -Command Sync-S3Bucket | Where-Object Target -eq "s3://$dst/" | Select-Object -Last 1
        $entry.ErrorId | Should -Be 'OperationStopped'
        $entry.Message | Should -Match ([regex]::Escape('3 objects copied (k0, k1, k2)'))
        $entry.Message | Should -Match ([regex]::Escape('1 object in flight when it stopped, which S3 may or may not have applied (k3)'))

        $rerun = Sync-S3Bucket s3://$src/ s3://$dst/ -Force
        $rerun.Copied | Should -Be 3
        $rerun.Skipped | Should -Be 3
    }
}
