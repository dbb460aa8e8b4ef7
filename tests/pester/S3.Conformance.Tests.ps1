# The S3 sandbox and the S3 cmdlets, driven side by side with the real aws CLI (/usr/bin/aws from Debian's
# awscli): the CLI's view and ours must agree.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Import-Module $ModuleManifest -Force
    Use-TestPostgres
    $script:Sandbox = Start-OpsSandbox
    Use-OpsContext sandbox
    $script:Url = $Sandbox.Url.TrimEnd('/')
    Set-SandboxAwsEnvironment $Sandbox $TestHome

    # The aws CLI on the sandbox; JSON output parsed, or the raw lines with -Raw. Throws on a non-zero exit.
    function script:Invoke-Aws { Invoke-SandboxAws -Url $script:Url @args }
    function script:New-TestBucket([string] $Stem, [switch] $Versioned) { New-SandboxBucket -Url $script:Url -Stem $Stem -Versioned:$Versioned }
}

AfterAll {
    Stop-OpsSandbox -Confirm:$false
    Use-OpsContext -Reset -ErrorAction Ignore   # the session's choice would outlive this file
    Remove-Module RealEstateOps -ErrorAction Ignore
    Clear-SandboxAwsEnvironment
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'aws s3api list-object-versions and Get-S3ObjectVersion' {
    It 'see the same versions and delete markers, also when the CLI pages with both markers' {
        $cli = Invoke-Aws s3api list-object-versions --bucket real-estate-ai-assets --prefix properties/prop-001 --page-size 7
        $cliEntries = @($cli.Versions | ForEach-Object { "$($_.Key)|$($_.VersionId)|$($_.IsLatest)|False" }) +
            @($cli.DeleteMarkers | ForEach-Object { "$($_.Key)|$($_.VersionId)|$($_.IsLatest)|True" })
        $ours = Get-S3ObjectVersion -Prefix properties/prop-001 | ForEach-Object { "$($_.Key)|$($_.VersionId)|$($_.IsLatest)|$($_.IsDeleteMarker)" }
        $ours.Count | Should -BeGreaterThan 50
        ($cliEntries | Sort-Object) | Should -Be ($ours | Sort-Object)
        @($cli.DeleteMarkers).Count | Should -Be 2   # prop-0011 (recent) and prop-0015 (ten days ago)
    }
}

Describe 'Restoring with the CLI and with Restore-S3Object' {
    It 'copy-object with ?versionId= and Restore-S3Object -VersionId make the same version current, keeping history' {
        $bucket = New-TestBucket 'conf-copy' -Versioned
        $file = Join-Path $TestHome 'v.txt'
        $ids = foreach ($k in 'a.pdf', 'b.pdf') {
            Set-Content -Path $file -Value "old $k" -NoNewline; $old = (Invoke-Aws s3api put-object --bucket $bucket --key $k --body $file).VersionId
            Set-Content -Path $file -Value "new $k" -NoNewline; Invoke-Aws s3api put-object --bucket $bucket --key $k --body $file | Out-Null
            $old
        }
        Invoke-Aws s3api copy-object --bucket $bucket --copy-source "$bucket/a.pdf?versionId=$($ids[0])" --key a.pdf | Out-Null
        $r = Restore-S3Object -Bucket $bucket -Key b.pdf -VersionId $ids[1] -Force
        $r.Status | Should -Be 'Restored'
        foreach ($k in 'a.pdf', 'b.pdf') {
            Invoke-Aws s3api get-object --bucket $bucket --key $k (Join-Path $TestHome "out-$k") | Out-Null
            Get-Content -Raw (Join-Path $TestHome "out-$k") | Should -Be "old $k"
            @(Get-S3ObjectVersion -Bucket $bucket -Key $k).Count | Should -Be 3
            @((Invoke-Aws s3api list-object-versions --bucket $bucket --prefix $k).Versions).Count | Should -Be 3
        }
    }

    It 'delete-object --version-id on the marker and Restore-S3Object both undelete' {
        $bucket = New-TestBucket 'conf-undelete' -Versioned
        $file = Join-Path $TestHome 'u.txt'
        Set-Content -Path $file -Value 'content' -NoNewline
        foreach ($k in 'x/1', 'x/2') { Invoke-Aws s3api put-object --bucket $bucket --key $k --body $file | Out-Null; Invoke-Aws s3api delete-object --bucket $bucket --key $k | Out-Null }
        $deleted = Get-S3ObjectVersion -Bucket $bucket -Deleted
        $deleted.Count | Should -Be 2
        $marker = ($deleted | Where-Object Key -eq 'x/1').VersionId
        (Invoke-Aws s3api delete-object --bucket $bucket --key x/1 --version-id $marker).DeleteMarker | Should -BeTrue
        (Restore-S3Object -Bucket $bucket -Key x/2 -Force).Action | Should -Be 'RemovedDeleteMarker'
        @(Get-S3ObjectVersion -Bucket $bucket -Deleted).Count | Should -Be 0
        (Invoke-Aws s3api list-objects-v2 --bucket $bucket).Contents.Key | Should -Be @('x/1', 'x/2')
        (Invoke-Aws s3api list-object-versions --bucket $bucket).DeleteMarkers | Should -BeNullOrEmpty
    }
}

Describe 'Bucket configuration set with the CLI, checked by Test-S3BucketProtection' {
    It 'fails a bare bucket and passes it once put-bucket-versioning, replication, lifecycle and public access block are set' {
        $bucket = New-TestBucket 'conf-protect'
        $before = Test-S3BucketProtection -Bucket $bucket
        $before.Passed | Should -BeFalse
        $before.FailedChecks | Should -Be @('Versioning', 'Replication', 'Lifecycle', 'PublicAccessBlock')

        Invoke-Aws s3api put-bucket-versioning --bucket $bucket --versioning-configuration Status=Enabled | Out-Null
        (Invoke-Aws s3api get-bucket-versioning --bucket $bucket).Status | Should -Be 'Enabled'
        Invoke-Aws s3api put-public-access-block --bucket $bucket --public-access-block-configuration 'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true' | Out-Null
        $lifecycle = Join-Path $TestHome 'lifecycle.json'
        '{"Rules":[{"ID":"archive","Status":"Enabled","Filter":{"Prefix":""},"NoncurrentVersionTransitions":[{"NoncurrentDays":30,"StorageClass":"GLACIER"}]}]}' | Set-Content $lifecycle
        Invoke-Aws s3api put-bucket-lifecycle-configuration --bucket $bucket --lifecycle-configuration "file://$lifecycle" | Out-Null
        $replication = Join-Path $TestHome 'replication.json'
        '{"Role":"arn:aws:iam::123456789012:role/replication","Rules":[{"ID":"dr","Priority":1,"Status":"Enabled","Filter":{"Prefix":""},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::real-estate-ai-assets-dr"}}]}' | Set-Content $replication
        Invoke-Aws s3api put-bucket-replication --bucket $bucket --replication-configuration "file://$replication" | Out-Null

        $after = Test-S3BucketProtection -Bucket $bucket
        $after.FailedChecks | Should -BeNullOrEmpty
        $after.Passed | Should -BeTrue
        $after.ReplicationDestinations | Should -Be @('real-estate-ai-assets-dr')
        $after.LifecycleRules | Should -Be @('archive')
        (Invoke-Aws s3api get-bucket-replication --bucket $bucket).ReplicationConfiguration.Rules[0].Destination.Bucket | Should -Be 'arn:aws:s3:::real-estate-ai-assets-dr'
    }

    It 'refuses replication on an unversioned bucket the way S3 does' {
        $bucket = New-TestBucket 'conf-norepl'
        $replication = Join-Path $TestHome 'replication2.json'
        '{"Role":"arn:aws:iam::123456789012:role/replication","Rules":[{"ID":"dr","Priority":1,"Status":"Enabled","Filter":{"Prefix":""},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::real-estate-ai-assets-dr"}}]}' | Set-Content $replication
        { Invoke-Aws s3api put-bucket-replication --bucket $bucket --replication-configuration "file://$replication" } | Should -Throw '*InvalidRequest*Versioning must be*'
    }
}

Describe 'aws s3 cp with multipart upload' {
    It 'uploads a 20 MB file in parts (aws-chunked or plain), downloads it whole, and we see its size' {
        $bucket = New-TestBucket 'conf-cp' -Versioned
        $file = Join-Path $TestHome 'big.bin'
        $bytes = [byte[]]::new(20MB + 123); [Random]::new(7).NextBytes($bytes); [IO.File]::WriteAllBytes($file, $bytes)
        Invoke-Aws -Raw s3 cp --only-show-errors $file "s3://$bucket/dumps/big.bin" | Out-Null
        $head = Invoke-Aws s3api head-object --bucket $bucket --key dumps/big.bin
        $head.ETag | Should -Match '-\d+"$'
        $head.ContentLength | Should -Be (20MB + 123)
        (Get-S3ObjectVersion -Bucket $bucket -Key dumps/big.bin).Size | Should -Be (20MB + 123)
        $back = Join-Path $TestHome 'big-back.bin'
        Invoke-Aws -Raw s3 cp --only-show-errors "s3://$bucket/dumps/big.bin" $back | Out-Null
        (Get-FileHash $back).Hash | Should -Be (Get-FileHash $file).Hash
    }
}

Describe 'aws s3 sync and Sync-S3Bucket' {
    It 'produce the same destination from the DR replica, and each sees the other''s result as up to date' {
        $cliBucket = New-TestBucket 'conf-sync-cli'
        $ourBucket = New-TestBucket 'conf-sync-ours'
        # No --source-region here: awscli 2.9 does not apply --endpoint-url to the source client it makes for it;
        # the CLI follows S3's wrong-region answer (AuthorizationHeaderMalformed with the Region) instead.
        Invoke-Aws -Raw s3 sync --only-show-errors s3://real-estate-ai-assets-dr/ "s3://$cliBucket/" | Out-Null
        $sync = Sync-S3Bucket s3://real-estate-ai-assets-dr/ "s3://$ourBucket/" -SourceRegion us-west-2 -DestinationRegion us-east-1 -Force
        $sync.Copied | Should -Be 80
        $cliView = (Invoke-Aws s3api list-objects-v2 --bucket $cliBucket).Contents | ForEach-Object { "$($_.Key)|$($_.Size)|$($_.ETag)" }
        $ourView = (Invoke-Aws s3api list-objects-v2 --bucket $ourBucket).Contents | ForEach-Object { "$($_.Key)|$($_.Size)|$($_.ETag)" }
        $ourView | Should -Be $cliView

        # The CLI finds nothing to copy after our sync; we find nothing after the CLI's.
        $again = Invoke-Aws -Raw s3 sync s3://real-estate-ai-assets-dr/ "s3://$ourBucket/" --dryrun
        $again | Should -BeNullOrEmpty
        (Sync-S3Bucket s3://real-estate-ai-assets-dr/ "s3://$cliBucket/" -Force).Copied | Should -Be 0
    }
}

Describe 'Sync-S3Bucket -CreateDestination and the CLI''s bucket configuration calls' {
    It 'makes a bucket whose versioning, lifecycle, public access block and encryption the CLI reads back as the source''s' {
        $source = New-TestBucket 'conf-like-src' -Versioned
        $lifecycle = Join-Path $TestHome 'like-lifecycle.json'
        '{"Rules":[{"ID":"archive","Status":"Enabled","Filter":{"Prefix":"docs/"},"NoncurrentVersionTransitions":[{"NoncurrentDays":30,"StorageClass":"GLACIER"}],"NoncurrentVersionExpiration":{"NoncurrentDays":365}},{"ID":"abort-uploads","Status":"Enabled","Filter":{"Prefix":""},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":7}}]}' | Set-Content $lifecycle
        Invoke-Aws s3api put-bucket-lifecycle-configuration --bucket $source --lifecycle-configuration "file://$lifecycle" | Out-Null
        Invoke-Aws s3api put-public-access-block --bucket $source --public-access-block-configuration 'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=true' | Out-Null
        $encryption = Join-Path $TestHome 'like-encryption.json'
        '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"arn:aws:kms:us-east-1:123456789012:alias/assets"},"BucketKeyEnabled":true}]}' | Set-Content $encryption
        Invoke-Aws s3api put-bucket-encryption --bucket $source --server-side-encryption-configuration "file://$encryption" | Out-Null
        $file = Join-Path $TestHome 'like.txt'
        Set-Content -Path $file -Value 'like' -NoNewline
        Invoke-Aws s3api put-object --bucket $source --key docs/a.txt --body $file | Out-Null

        $destination = ('conf-like-dst-' + [guid]::NewGuid().ToString('N')).Substring(0, 27)
        { Invoke-Aws s3api head-bucket --bucket $destination } | Should -Throw
        $sync = Sync-S3Bucket "s3://$source/" "s3://$destination/" -DestinationRegion us-east-1 -CreateDestination -Force
        $sync.DestinationSetup | Should -Be 'Create'
        $sync.Copied | Should -Be 1
        foreach ($get in 'get-bucket-versioning', 'get-bucket-lifecycle-configuration', 'get-public-access-block', 'get-bucket-encryption') {
            $theirs = Invoke-Aws s3api $get --bucket $source | ConvertTo-Json -Depth 10
            Invoke-Aws s3api $get --bucket $destination | ConvertTo-Json -Depth 10 | Should -Be $theirs -Because "$get must read the same on both buckets"
        }
        (Invoke-Aws s3api get-bucket-lifecycle-configuration --bucket $destination).Rules.ID | Should -Be @('archive', 'abort-uploads')
        (Invoke-Aws s3api list-objects-v2 --bucket $destination).Contents.Key | Should -Be 'docs/a.txt'
    }
}

Describe 'A server that lists every version before every delete marker' {
    It 'gives the CLI and Get-S3ObjectVersion the same entries, and -Deleted and Restore-S3Object still find the deleted key' {
        $bucket = New-TestBucket 'conf-order' -Versioned
        $file = Join-Path $TestHome 'order.txt'
        Set-Content -Path $file -Value 'kept' -NoNewline
        $kept = (Invoke-Aws s3api put-object --bucket $bucket --key x/1 --body $file).VersionId
        Invoke-Aws s3api put-object --bucket $bucket --key x/1.bak --body $file | Out-Null
        Invoke-Aws s3api delete-object --bucket $bucket --key x/1 | Out-Null
        $headers = Get-SandboxControlHeader $Sandbox
        Invoke-RestMethod -Method Put -Uri "$Url/_sandbox/s3/version-order" -Headers $headers -Body '{"order":"VersionsFirst"}' -ContentType 'application/json' | Out-Null
        try {
            $cli = Invoke-Aws s3api list-object-versions --bucket $bucket
            $cliEntries = @($cli.Versions | ForEach-Object { "$($_.Key)|$($_.VersionId)|$($_.IsLatest)|False" }) +
                @($cli.DeleteMarkers | ForEach-Object { "$($_.Key)|$($_.VersionId)|$($_.IsLatest)|True" })
            $ours = Get-S3ObjectVersion -Bucket $bucket | ForEach-Object { "$($_.Key)|$($_.VersionId)|$($_.IsLatest)|$($_.IsDeleteMarker)" }
            ($cliEntries | Sort-Object) | Should -Be ($ours | Sort-Object)
            $marker = Get-S3ObjectVersion -Bucket $bucket -Key x/1 -Deleted
            $marker.VersionId | Should -Be $cli.DeleteMarkers[0].VersionId
            $restored = Restore-S3Object -Bucket $bucket -Key x/1 -Force
            ($restored.Action, $restored.VersionId) | Should -Be @('RemovedDeleteMarker', $kept)
            (Invoke-Aws s3api list-objects-v2 --bucket $bucket).Contents.Key | Should -Be @('x/1', 'x/1.bak')
        }
        finally {
            Invoke-RestMethod -Method Put -Uri "$Url/_sandbox/s3/version-order" -Headers $headers -Body '{"order":"Interleaved"}' -ContentType 'application/json' | Out-Null
        }
    }
}

Describe 'A sync whose process is killed midway' {
    It 'loses nothing, and the rerun copies only what is still missing' {
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $src = "kill-src-$suffix"; $dst = "kill-dst-$suffix"
        foreach ($b in @{ bucket = $src; keys = 3000 }, @{ bucket = $dst; keys = 0 }) {
            Invoke-RestMethod -Method Post -Uri "$Url/_sandbox/s3/populate" -Headers (Get-SandboxControlHeader $Sandbox) -Body ($b | ConvertTo-Json) -ContentType 'application/json' | Out-Null
        }
        $child = "Import-Module '$ModuleManifest'; Use-OpsContext sandbox; Sync-S3Bucket s3://$src/ s3://$dst/ -ThrottleLimit 1 -Force"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($child))
        $process = Start-Process dotnet -ArgumentList 'pwsh', '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded -PassThru -WorkingDirectory $RepoRoot `
            -RedirectStandardOutput (Join-Path $TestHome 'kill.out') -RedirectStandardError (Join-Path $TestHome 'kill.err')
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not (Get-S3ObjectVersion -Bucket $dst | Select-Object -First 1) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        }
        finally { $process.Kill($true); $process.WaitForExit() }

        $source = @{}
        foreach ($o in (Invoke-Aws s3api list-objects-v2 --bucket $src).Contents) { $source[$o.Key] = "$($o.Size)|$($o.ETag)" }
        $partial = @((Invoke-Aws s3api list-objects-v2 --bucket $dst).Contents | Where-Object { $_ })
        $partial.Count | Should -BeGreaterThan 0
        $partial.Count | Should -BeLessThan 3000 -Because 'the process was killed before it finished'
        foreach ($o in $partial) { "$($o.Size)|$($o.ETag)" | Should -Be $source[$o.Key] -Because "$($o.Key) was copied whole or not at all" }

        $rerun = Sync-S3Bucket s3://$src/ s3://$dst/ -Force
        $rerun.Copied | Should -Be (3000 - $partial.Count)
        $rerun.Skipped | Should -Be $partial.Count
        $final = @{}
        foreach ($o in (Invoke-Aws s3api list-objects-v2 --bucket $dst).Contents) { $final[$o.Key] = "$($o.Size)|$($o.ETag)" }
        $final.Count | Should -Be 3000
        foreach ($k in $source.Keys) { $final[$k] | Should -Be $source[$k] }
    }
}

Describe 'Examples on the sandbox' {
    It 'Restore-DeletedDocuments.ps1 restores what was deleted in the last day and exits 0' {
        $r = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'
Use-OpsContext sandbox
& '$RepoRoot/examples/Restore-DeletedDocuments.ps1' -Prefix properties/ -Force
"exit `$LASTEXITCODE"
"@
        $text = $r.Output -join "`n"
        $text | Should -Match '3 key\(s\) under ''properties/'' deleted since'
        $text | Should -Match 'RESTORED: 3 key\(s\)'
        $text | Should -Match 'exit 0'
        # The one deleted ten days ago is still deleted; the three recent ones are back.
        (Get-S3ObjectVersion -Prefix properties/ -Deleted).Key | Should -Be 'properties/prop-0015/documents/listing-agreement.pdf'
    }

    It 'Invoke-DrFailoverSync.ps1 fills a new primary from the DR replica and names the protection still missing' {
        $bucket = New-TestBucket 'new-primary'
        $r = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'
Use-OpsContext sandbox
& '$RepoRoot/examples/Invoke-DrFailoverSync.ps1' -Destination s3://$bucket/ -Force
"exit `$LASTEXITCODE"
"@
        $text = $r.Output -join "`n"
        $text | Should -Match 'SYNCED: 80 copied, 0 already there'
        $text | Should -Match 'ACTION NEEDED before traffic moves: Versioning, Replication, Lifecycle, PublicAccessBlock'
        $text | Should -Match 'exit 0'
        @((Invoke-Aws s3api list-objects-v2 --bucket $bucket).Contents).Count | Should -Be 80
    }
}
