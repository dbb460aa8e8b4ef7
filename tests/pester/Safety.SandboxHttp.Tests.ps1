# The sandbox's network side, end to end against Start-OpsSandbox: only loopback Host headers, a control token
# for /_sandbox/..., SigV4 signatures by this start's keys for S3 and RDS (the real aws CLIs sign correctly,
# a wrong secret is refused), Kubernetes tokens of this start only; secrets in 0600 files, never in argv.
BeforeDiscovery {
    # Every aws CLI on this machine (Debian's v2 at /usr/bin/aws, a pip v1 on PATH), each once.
    $script:AwsClis = @(@('/usr/bin/aws') + @(Get-Command aws -CommandType Application -All -ErrorAction Ignore | ForEach-Object Source) |
        Where-Object { $_ -and (Test-Path $_) } | ForEach-Object { "$(& realpath $_)" } | Select-Object -Unique)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Port = $Sandbox.Port
    $script:Token = (Get-Content -Raw $Sandbox.ControlTokenFile).Trim()
    $script:Credentials = Join-Path $Sandbox.StateFolder 'aws-credentials'
    $env:AWS_CONFIG_FILE = Join-Path $TestHome 'aws-config-none'
    $env:AWS_PAGER = ''
    $env:AWS_EC2_METADATA_DISABLED = 'true'

    # Every aws CLI on this machine (Debian's v2 at /usr/bin/aws, a pip v1 on PATH), each once.
    $script:AwsClis = @(@('/usr/bin/aws') + @(Get-Command aws -CommandType Application -All -ErrorAction Ignore | ForEach-Object Source) |
        Where-Object { $_ -and (Test-Path $_) } | ForEach-Object { "$(& realpath $_)" } | Select-Object -Unique)

    # The aws CLI with a given credentials file: exit code and all output as one string.
    function script:Invoke-AwsWith([string] $Cli, [string] $CredentialsFile, [string[]] $Arguments) {
        $env:AWS_SHARED_CREDENTIALS_FILE = $CredentialsFile
        try { $out = Invoke-Client $Cli --profile sandbox --region us-east-1 --endpoint-url $script:Url --output json @Arguments 2>&1 | ForEach-Object { "$_" } }
        finally { Remove-Item env:AWS_SHARED_CREDENTIALS_FILE -ErrorAction Ignore }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = $out -join "`n" }
    }
    # A copy of the credentials file whose secrets are replaced.
    function script:New-WrongCredentials {
        $wrong = Join-Path $script:TestHome "aws-credentials-wrong-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        (Get-Content $script:Credentials) -replace '^(aws_secret_access_key\s*=\s*).*$', '${1}wrongWRONGwrongWRONGwrongWRONGwrong00000' | Set-Content $wrong
        $wrong
    }
    function script:Web([string] $Method = 'GET', [string] $Path, [hashtable] $Headers = @{}, $Body, [string] $ContentType) {
        $p = @{ Method = $Method; Uri = "$script:Url/$Path"; Headers = $Headers; SkipHttpErrorCheck = $true; SkipHeaderValidation = $true }
        if ($null -ne $Body) { $p.Body = $Body }
        if ($ContentType) { $p.ContentType = $ContentType }
        Invoke-WebRequest @p
    }
}

AfterAll {
    Clear-SandboxAwsEnvironment
    Stop-TestSandbox $script:TestHome
}

Describe 'Host header allow-list (DNS rebinding)' {
    It 'refuses <HostHeader> with 421' -ForEach @(
        @{ HostHeader = 'evil.example' }, @{ HostHeader = 'evil.example:PORT' }, @{ HostHeader = '127.0.0.1:1' }, @{ HostHeader = 'localhost.evil.example:PORT' }
    ) {
        $r = Web -Path '_sandbox/health' -Headers @{ Host = $HostHeader.Replace('PORT', "$Port") }
        $r.StatusCode | Should -Be 421
        "$($r.Content)" | Should -Match 'DNS rebinding'
        # Even with the control token, nothing behind a foreign name answers.
        (Web -Method Post -Path '_sandbox/shutdown' -Headers @{ Host = $HostHeader.Replace('PORT', "$Port"); 'X-Sandbox-Token' = $Token }).StatusCode | Should -Be 421
    }

    It 'answers <HostHeader>' -ForEach @(@{ HostHeader = '127.0.0.1:PORT' }, @{ HostHeader = 'localhost:PORT' }, @{ HostHeader = '[::1]:PORT' }) {
        (Web -Path '_sandbox/health' -Headers @{ Host = $HostHeader.Replace('PORT', "$Port") }).StatusCode | Should -Be 200
    }

    It 'listens on 127.0.0.1 only' {
        $Sandbox.Url | Should -Match '^http://127\.0\.0\.1:\d+/$'
        $listening = (& ss -Hltn 2>$null) -join "`n"
        if ($LASTEXITCODE -eq 0 -and $listening) {
            $listening | Should -Match "127\.0\.0\.1:$Port\b"
            $listening | Should -Not -Match "(0\.0\.0\.0|\*|\[::\]):$Port\b"
        }
    }
}

Describe 'Control endpoints' {
    It 'refuse <Method> /<Path> without the token and with a wrong one (401)' -ForEach @(
        @{ Method = 'GET'; Path = '_sandbox/info' }, @{ Method = 'GET'; Path = '_sandbox/requests' }, @{ Method = 'PUT'; Path = '_sandbox/clock' },
        @{ Method = 'DELETE'; Path = '_sandbox/faults' }, @{ Method = 'POST'; Path = '_sandbox/s3/populate' }, @{ Method = 'POST'; Path = '_sandbox/shutdown' }
    ) {
        $body = '{"speed":1000,"bucket":"x-no","keys":1}'
        $none = Web -Method $Method -Path $Path -Body $body -ContentType 'application/json'
        $none.StatusCode | Should -Be 401
        ($none.Content | ConvertFrom-Json).code | Should -Be 'SandboxControlTokenMissing'
        foreach ($wrong in @{ Authorization = 'Bearer wrong' }, @{ 'X-Sandbox-Token' = $Token.Substring(1) }, @{ Authorization = "Bearer $($Token)x" }) {
            $r = Web -Method $Method -Path $Path -Headers $wrong -Body $body -ContentType 'application/json'
            $r.StatusCode | Should -Be 401
            ($r.Content | ConvertFrom-Json).code | Should -Be 'SandboxControlTokenInvalid'
        }
        (Get-OpsSandbox).Responding | Should -BeTrue   # the refused shutdown did not stop it
    }

    It 'accept the token from the file Get-OpsSandbox names, as a bearer or in X-Sandbox-Token' {
        (Get-OpsSandbox).ControlTokenFile | Should -Be $Sandbox.ControlTokenFile
        (Web -Path '_sandbox/requests' -Headers @{ Authorization = "Bearer $Token" }).StatusCode | Should -Be 200
        (Web -Path '_sandbox/info' -Headers @{ 'X-Sandbox-Token' = $Token }).StatusCode | Should -Be 200
        (Web -Path '_sandbox/health').StatusCode | Should -Be 200   # the liveness probe alone is open
        # The cmdlets read the token themselves.
        { Set-OpsSandboxFault -Service s3 -ErrorRate 0.1; Set-OpsSandboxFault -Reset -ResetRequestCount } | Should -Not -Throw
    }
}

Describe 'Where the secrets live' {
    It 'keeps the control token, kubeconfig, AWS credentials, Langfuse secret key, Argo CD token, webhook URLs and routing key in 0600 files, named by its 0600 info file, which holds no secret' {
        $infoFile = Join-Path $Sandbox.StateFolder 'sandbox-info.json'
        foreach ($f in $Sandbox.ControlTokenFile, $Sandbox.KubeconfigPath, $Credentials, $infoFile, (Join-Path $Sandbox.StateFolder 'langfuse-secret-key'), (Join-Path $Sandbox.StateFolder 'argocd-token'),
                   (Join-Path $Sandbox.StateFolder 'slack-webhook-url'), (Join-Path $Sandbox.StateFolder 'teams-webhook-url'), (Join-Path $Sandbox.StateFolder 'pagerduty-routing-key')) {
            & stat -c '%a' $f | Should -Be '600' -Because $f
        }
        $info = Get-Content -Raw $infoFile | ConvertFrom-Json
        $info.clients.controlTokenFile | Should -Be $Sandbox.ControlTokenFile
        $info.clients.kubeconfig | Should -Be $Sandbox.KubeconfigPath
        $info.clients.awsCredentialsFile | Should -Be $Credentials
        $info.langfuse.secretKeyFile | Should -Be (Join-Path $Sandbox.StateFolder 'langfuse-secret-key')
        $info.argocd.tokenFile | Should -Be (Join-Path $Sandbox.StateFolder 'argocd-token')
        $info.notifications.slackWebhookUrlFile | Should -Be (Join-Path $Sandbox.StateFolder 'slack-webhook-url')
        $info.notifications.pagerDutyRoutingKeyFile | Should -Be (Join-Path $Sandbox.StateFolder 'pagerduty-routing-key')
        $info.processId | Should -Be $Sandbox.ProcessId
        $text = Get-Content -Raw $infoFile
        $secrets = @($Token) + @((Get-Content $Credentials) -match '^aws_secret_access_key' | ForEach-Object { ($_ -split '=', 2)[1].Trim() }) +
            @((Get-Content $Sandbox.KubeconfigPath) -match 'token:' | ForEach-Object { ($_ -split ':', 2)[1].Trim().Trim('"') }) +
            @((Get-Content (Join-Path $Sandbox.StateFolder 'langfuse-secret-key') -First 1).Trim()) +
            @((Get-Content (Join-Path $Sandbox.StateFolder 'argocd-token') -First 1).Trim()) +
            @(($(Get-Content (Join-Path $Sandbox.StateFolder 'slack-webhook-url') -First 1) -split '/')[-1].Trim()) +
            @((Get-Content (Join-Path $Sandbox.StateFolder 'pagerduty-routing-key') -First 1).Trim())
        $secrets.Count | Should -Be 9
        foreach ($s in $secrets) { $text.Contains($s) | Should -BeFalse }
    }

    It 'passes no secret in the sandbox''s command line or environment' {
        $secrets = @($Token) + @((Get-Content $Credentials) -match '^aws_secret_access_key' | ForEach-Object { ($_ -split '=', 2)[1].Trim() }) +
            @((Get-Content $Sandbox.KubeconfigPath) -match 'token:' | ForEach-Object { ($_ -split ':', 2)[1].Trim().Trim('"') }) +
            @((Get-Content (Join-Path $Sandbox.StateFolder 'langfuse-secret-key') -First 1).Trim()) +
            @((Get-Content (Join-Path $Sandbox.StateFolder 'argocd-token') -First 1).Trim()) +
            @(($(Get-Content (Join-Path $Sandbox.StateFolder 'slack-webhook-url') -First 1) -split '/')[-1].Trim()) +
            @((Get-Content (Join-Path $Sandbox.StateFolder 'pagerduty-routing-key') -First 1).Trim())
        $secrets.Count | Should -Be 9
        $cmdline = [IO.File]::ReadAllText("/proc/$($Sandbox.ProcessId)/cmdline")
        $environ = [IO.File]::ReadAllText("/proc/$($Sandbox.ProcessId)/environ")
        $cmdline | Should -Match 'RealEstateOps\.Sandbox'
        foreach ($s in $secrets) {
            $cmdline.Contains($s) | Should -BeFalse
            $environ.Contains($s) | Should -BeFalse
        }
    }
}

Describe 'S3 and RDS need a SigV4 signature by this start''s keys' {
    It 'refuses an unsigned S3 request (a browser''s PUT) with S3''s AccessDenied' {
        $bucket = 'unsigned-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $r = Web -Method Put -Path $bucket
        $r.StatusCode | Should -Be 403
        "$($r.Content)" | Should -Match '<Code>AccessDenied</Code>'
        (Web -Path '').StatusCode | Should -Be 403
        ((Invoke-AwsWith $AwsClis[0] $Credentials @('s3api', 'list-buckets')).Text | ConvertFrom-Json).Buckets.Name | Should -Not -Contain $bucket
    }

    It 'refuses an unsigned RDS form POST with MissingAuthenticationToken, and nothing is created' {
        $id = 'unsigned-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $r = Web -Method Post -Path '' -Body "Action=CreateDBSnapshot&Version=2014-10-31&DBInstanceIdentifier=real-estate-ai-db&DBSnapshotIdentifier=$id" -ContentType 'application/x-www-form-urlencoded'
        $r.StatusCode | Should -Be 403
        "$($r.Content)" | Should -Match '<Code>MissingAuthenticationToken</Code>'
        Get-DbSnapshot -SnapshotId $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'accepts <_> signing with the sandbox''s credentials file and refuses a wrong secret' -ForEach $AwsClis {
        $cli = $_
        $ok = Invoke-AwsWith $cli $Credentials @('s3api', 'list-buckets')
        $ok.ExitCode | Should -Be 0 -Because $ok.Text
        ($ok.Text | ConvertFrom-Json).Buckets.Name | Should -Contain 'real-estate-ai-assets'
        $rds = Invoke-AwsWith $cli $Credentials @('rds', 'describe-db-instances')
        $rds.ExitCode | Should -Be 0 -Because $rds.Text
        ($rds.Text | ConvertFrom-Json).DBInstances.DBInstanceIdentifier | Should -Contain 'real-estate-ai-db'
        # An upload with an awkward key, signed as this CLI signs it (aws-chunked or not), and read back.
        $file = Join-Path $TestHome 'upload.txt'
        Set-Content -Path $file -Value 'signed upload' -NoNewline
        $put = Invoke-AwsWith $cli $Credentials @('s3', 'cp', $file, 's3://real-estate-ai-backups/signed dir/a+b (1).txt')
        $put.ExitCode | Should -Be 0 -Because $put.Text

        $wrong = New-WrongCredentials
        $bad = Invoke-AwsWith $cli $wrong @('s3api', 'list-buckets')
        $bad.ExitCode | Should -Not -Be 0
        $bad.Text | Should -Match 'SignatureDoesNotMatch'
        $badRds = Invoke-AwsWith $cli $wrong @('rds', 'describe-db-instances')
        $badRds.ExitCode | Should -Not -Be 0
        $badRds.Text | Should -Match 'SignatureDoesNotMatch'
    }

    It 'refuses the cmdlets with a wrong secret (error id SignatureDoesNotMatch) and accepts them with the right one' {
        @(Get-S3ObjectVersion -Bucket real-estate-ai-assets -Prefix properties/prop-001).Count | Should -BeGreaterThan 0
        @(Get-DbInstance).DbInstanceId | Should -Contain 'real-estate-ai-db'
        # In a fresh process (no client cached from the right key): a context without a profile, so the SDK's default
        # chain takes this start's key id and a wrong secret from the environment.
        $r = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'
`$env:REALESTATEOPS_CONFIG_HOME = '$env:REALESTATEOPS_CONFIG_HOME'; `$env:REALESTATEOPS_DATA_HOME = '$env:REALESTATEOPS_DATA_HOME'; `$env:REALESTATEOPS_STATE_HOME = '$env:REALESTATEOPS_STATE_HOME'
`$env:AWS_ACCESS_KEY_ID = 'AKIASANDBOX000000000'; `$env:AWS_SECRET_ACCESS_KEY = 'wrongWRONGwrongWRONGwrongWRONGwrong00000'
`$env:AWS_CONFIG_FILE = '$env:AWS_CONFIG_FILE'; `$env:AWS_SHARED_CREDENTIALS_FILE = '$TestHome/none'; `$env:AWS_EC2_METADATA_DISABLED = 'true'
Set-OpsContext -Name wrong-secret -Region us-east-1 -Endpoint @{ s3 = '$Url'; rds = '$Url' } | Out-Null
`$env:REALESTATEOPS_CONTEXT = 'wrong-secret'
Get-S3ObjectVersion -Bucket real-estate-ai-assets -Prefix properties/prop-001 -ErrorAction SilentlyContinue -ErrorVariable s3e | Out-Null
"S3 `$(`$s3e[0].FullyQualifiedErrorId)"
Get-DbInstance -ErrorAction SilentlyContinue -ErrorVariable rdse | Out-Null
"RDS `$(`$rdse[0].FullyQualifiedErrorId)"
"@
        $text = $r.Output -join "`n"
        $text | Should -Match '(?m)^S3 SignatureDoesNotMatch'
        $text | Should -Match '(?m)^RDS SignatureDoesNotMatch'
    }
}

Describe 'Kubernetes tokens' {
    It 'refuses the old fixed tokens and a wrong one; accepts the kubeconfig''s' {
        $cache = Join-Path $TestHome 'kube-cache'
        foreach ($token in 'sandbox-admin-token', 'sandbox-readonly-token', 'wrong') {
            $out = Invoke-Client kubectl --cache-dir $cache --kubeconfig $Sandbox.KubeconfigPath --token $token get pods -n real-estate-ai 2>&1 | ForEach-Object { "$_" }
            $LASTEXITCODE | Should -Not -Be 0
            ($out -join "`n") | Should -Match 'Unauthorized|must be logged in'
        }
        $r = Web -Path 'api/v1/namespaces/real-estate-ai/pods' -Headers @{ Authorization = 'Bearer sandbox-admin-token' }
        $r.StatusCode | Should -Be 401
        $status = $r.Content | ConvertFrom-Json
        $status.kind, $status.reason, $status.code | Should -Be 'Status', 'Unauthorized', 401
        (Web -Path 'api/v1/namespaces/real-estate-ai/pods').StatusCode | Should -Be 401   # no token at all

        $pods = Invoke-Client kubectl --cache-dir $cache --kubeconfig $Sandbox.KubeconfigPath get pods -n real-estate-ai -o name 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($pods -join "`n")
        @($pods).Count | Should -BeGreaterThan 5
    }
}

Describe 'A new start' {
    It 'has new secrets, and the old ones are refused' {
        $oldToken = $Token
        $oldCredentials = Join-Path $TestHome 'aws-credentials-old'
        Copy-Item $Credentials $oldCredentials
        $oldKube = ((Get-Content $Sandbox.KubeconfigPath) -match 'token:' | Select-Object -First 1).Split(':', 2)[1].Trim().Trim('"')
        Stop-OpsSandbox -Confirm:$false
        $script:Sandbox = Start-OpsSandbox -Port $Port
        $newToken = (Get-Content -Raw $Sandbox.ControlTokenFile).Trim()
        $newToken | Should -Not -Be $oldToken
        (Web -Path '_sandbox/requests' -Headers @{ 'X-Sandbox-Token' = $oldToken }).StatusCode | Should -Be 401
        (Web -Path '_sandbox/requests' -Headers @{ 'X-Sandbox-Token' = $newToken }).StatusCode | Should -Be 200
        (Web -Path 'api/v1/nodes' -Headers @{ Authorization = "Bearer $oldKube" }).StatusCode | Should -Be 401
        $old = Invoke-AwsWith $AwsClis[0] $oldCredentials @('s3api', 'list-buckets')
        $old.ExitCode | Should -Not -Be 0
        $old.Text | Should -Match 'SignatureDoesNotMatch'
        (Invoke-AwsWith $AwsClis[0] $Credentials @('s3api', 'list-buckets')).ExitCode | Should -Be 0
    }
}
