# Langfuse on the sandbox: its public API driven by a real HTTP client (curl, each call under Invoke-Client) as Langfuse's
# OpenAPI definition describes it (v2 observations with cursor paging, v2 metrics with a query object, v3 scores, v2
# datasets, dataset items, basic auth and Langfuse's error shape), then the Monitoring runbook's Langfuse steps with the
# module's cmdlets on the sandbox context that Start-OpsSandbox writes, their views at 80 and 120 columns, and throttling.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
    $script:Context = Get-OpsContext sandbox
    $script:Url = $Context.ServiceUrls['langfuse'].TrimEnd('/')
    $script:Info = Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json') | ConvertFrom-Json
    # curl reads the key pair from a 0600 netrc file: the secret is never on a command line.
    $uri = [Uri]$Url
    $script:Netrc = Join-Path $TestHome 'langfuse.netrc'
    New-Item -ItemType File $Netrc | Out-Null
    [IO.File]::SetUnixFileMode($Netrc, [IO.UnixFileMode]'UserRead, UserWrite')
    Set-Content $Netrc "machine $($uri.Host) login $($Context.LangfusePublicKey) password $((Get-Content $Context.LangfuseSecretKeyFile -First 1).Trim())"

    # One call with curl: status code and parsed JSON body.
    function script:Invoke-Langfuse([string] $Path, [hashtable] $Query = @{}, [string] $Method = 'GET', [string] $Body, [switch] $NoAuth) {
        $arguments = @('-s', '-o', (Join-Path $TestHome 'body.json'), '-w', '%{http_code}', '-X', $Method)
        if (-not $NoAuth) { $arguments += @('--netrc-file', $Netrc) }
        if ($Body) { $arguments += @('-H', 'Content-Type: application/json', '--data-binary', $Body) }
        if ($Query.Count) { $arguments += '-G'; foreach ($k in $Query.Keys) { $arguments += @('--data-urlencode', "$k=$($Query[$k])") } }
        $code = Invoke-Client curl @arguments "$Url$Path"
        [pscustomobject]@{ Status = [int]"$code"; Json = Get-Content -Raw (Join-Path $TestHome 'body.json') | ConvertFrom-Json }
    }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'The sandbox publishes its Langfuse' {
    It 'names the URL, public key and a 0600 secret key file in its info file and the sandbox context' {
        $Info.langfuse.url | Should -Be ($Url + '/')
        $Info.langfuse.publicKey | Should -BeLike 'pk-lf-*'
        $Context.LangfusePublicKey | Should -Be $Info.langfuse.publicKey
        $Context.LangfuseSecretKeyFile | Should -Be $Info.langfuse.secretKeyFile
        [IO.File]::GetUnixFileMode($Context.LangfuseSecretKeyFile) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        (Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json')) | Should -Not -Match 'sk-lf-'
        $Info.services | Should -Contain 'langfuse'
    }
}

Describe 'Langfuse public API conformance (curl)' {
    It 'refuses a request without basic auth with 401 and a message' {
        $r = Invoke-Langfuse /api/public/v2/observations -NoAuth
        $r.Status | Should -Be 401
        $r.Json.message | Should -Not -BeNullOrEmpty
    }

    It 'pages v2 observations with meta.cursor and field groups' {
        $first = Invoke-Langfuse /api/public/v2/observations @{ limit = 5; fields = 'core,basic,usage,model,metrics'; type = 'GENERATION' }
        $first.Status | Should -Be 200
        $first.Json.data.Count | Should -Be 5
        $first.Json.data[0].PSObject.Properties.Name | Should -Contain 'usageDetails'
        $first.Json.data.type | Sort-Object -Unique | Should -Be 'GENERATION'
        $first.Json.meta.cursor | Should -Not -BeNullOrEmpty
        $next = Invoke-Langfuse /api/public/v2/observations @{ limit = 5; fields = 'core,basic'; type = 'GENERATION'; cursor = $first.Json.meta.cursor }
        $next.Status | Should -Be 200
        $next.Json.data.id | Should -Not -BeIn $first.Json.data.id
        [datetime]$next.Json.data[0].startTime | Should -BeLessOrEqual ([datetime]$first.Json.data[-1].startTime)
        (Invoke-Langfuse /api/public/v2/observations @{ fields = 'everything' }).Status | Should -Be 400
    }

    It 'answers a v2 metrics query object and refuses a high-cardinality dimension with 400' {
        $to = [DateTime]::UtcNow.ToString('o'); $from = [DateTime]::UtcNow.AddDays(-7).ToString('o')
        $query = @{ view = 'observations'; metrics = @(@{ measure = 'count'; aggregation = 'count' }, @{ measure = 'totalCost'; aggregation = 'sum' }, @{ measure = 'latency'; aggregation = 'p95' })
                    dimensions = @(@{ field = 'providedModelName' }); filters = @(@{ column = 'type'; operator = '='; value = 'GENERATION'; type = 'string' })
                    fromTimestamp = $from; toTimestamp = $to } | ConvertTo-Json -Depth 5 -Compress
        $r = Invoke-Langfuse /api/public/v2/metrics @{ query = $query }
        $r.Status | Should -Be 200
        $r.Json.data.providedModelName | Sort-Object | Should -Be @('claude-3-5-sonnet', 'gpt-4o', 'gpt-4o-mini')
        $r.Json.data | ForEach-Object { $_.count_count | Should -BeGreaterThan 0; $_.sum_totalCost | Should -BeGreaterThan 0; $_.p95_latency | Should -BeGreaterThan 0 }
        $bad = $query.Replace('providedModelName', 'userId')
        $refused = Invoke-Langfuse /api/public/v2/metrics @{ query = $bad }
        $refused.Status | Should -Be 400
        $refused.Json.message | Should -Match 'high cardinality'
    }

    It 'filters v3 scores by name and value range, with the subject' {
        $r = Invoke-Langfuse /api/public/v3/scores @{ name = 'user-feedback'; dataType = 'NUMERIC'; valueMax = 2; fields = 'subject'; limit = 10 }
        $r.Status | Should -Be 200
        $r.Json.data.Count | Should -Be 10
        $r.Json.data | ForEach-Object { $_.value | Should -BeLessOrEqual 2; $_.subject.kind | Should -Be 'trace' }
        $r.Json.meta.cursor | Should -Not -BeNullOrEmpty
        (Invoke-Langfuse /api/public/v3/scores @{ valueMax = 2 }).Status | Should -Be 400 # a value range needs dataType=NUMERIC
    }

    It 'creates and lists datasets and dataset items' {
        $made = Invoke-Langfuse /api/public/v2/datasets -Method POST -Body '{"name":"curl-dataset","description":"made by curl"}'
        $made.Status | Should -Be 200
        $made.Json.name | Should -Be 'curl-dataset'
        (Invoke-Langfuse /api/public/v2/datasets/curl-dataset).Json.description | Should -Be 'made by curl'
        (Invoke-Langfuse /api/public/v2/datasets).Json.data.name | Should -Contain 'curl-dataset'
        $item = Invoke-Langfuse /api/public/dataset-items -Method POST -Body '{"datasetName":"curl-dataset","input":{"q":"hello"},"expectedOutput":"hi"}'
        $item.Status | Should -Be 200
        $item.Json.datasetName | Should -Be 'curl-dataset'
        $items = Invoke-Langfuse /api/public/dataset-items @{ datasetName = 'curl-dataset' }
        $items.Json.data.id | Should -Be $item.Json.id
        $items.Json.meta.totalItems | Should -Be 1
        $missing = Invoke-Langfuse /api/public/v2/datasets/no-such-dataset
        $missing.Status | Should -Be 404
        $missing.Json.message | Should -Match 'no-such-dataset'
    }
}

Describe 'The Monitoring runbook''s Langfuse steps' {
    It 'reports LLM metrics by model with errors, tokens, cost and latency' {
        $metrics = Get-LlmMetric -GroupBy Model
        $metrics.Model | Sort-Object | Should -Be @('claude-3-5-sonnet', 'gpt-4o', 'gpt-4o-mini')
        ($metrics | Measure-Object Errors -Sum).Sum | Should -BeGreaterThan 0
        $metrics | ForEach-Object { $_.TotalTokens | Should -Be ($_.InputTokens + $_.OutputTokens); $_.LatencyP95Ms | Should -BeGreaterOrEqual $_.LatencyP50Ms }
    }

    It 'finds failed and badly rated conversations and collects them in a dataset' {
        $failed = @(Get-LlmTrace -Level Error -From (Get-Date).AddDays(-2))
        $failed.Count | Should -BeGreaterThan 0
        $failed.StatusMessage | Should -Not -Contain $null
        $low = @(Get-LlmTrace -MaxScore 2 -First 5)
        $low.Count | Should -Be 5
        $low.Score | ForEach-Object { $_ | Should -BeLessOrEqual 2 }

        New-LlmDataset problem-conversations -Description 'Failed or badly rated conversations' | Out-Null
        $items = @($failed + $low | Add-LlmDatasetItem -Dataset problem-conversations)
        $items.Count | Should -Be ($failed.Count + $low.Count)
        (Get-OpsJournal -Command Add-LlmDatasetItem | Where-Object Outcome -eq Succeeded).Count | Should -Be $items.Count
        # The same traces again update their items instead of adding more.
        $failed | Add-LlmDatasetItem -Dataset problem-conversations | Out-Null
        $again = Invoke-Langfuse /api/public/dataset-items @{ datasetName = 'problem-conversations'; limit = 100 }
        $again.Json.meta.totalItems | Should -Be (@($failed.TraceId + $low.TraceId | Sort-Object -Unique).Count)
    }

    It 'reads at 80 and 120 columns' {
        $outputs = @(
            (Get-LlmMetric -GroupBy Model, Day -From (Get-Date).AddDays(-2)),
            (Get-LlmTrace -Level Error -First 5),
            (Get-LlmDataset),
            (Get-LlmTrace -First 2 | Add-LlmDatasetItem -Dataset problem-conversations)
        )
        foreach ($output in $outputs) {
            foreach ($width in 80, 120) {
                $lines = ($output | Out-String -Width $width) -split "`r?`n" | Where-Object { $_ }
                $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $width }
                $lines[0] | Should -Not -Match '…'  # no header cut
            }
        }
    }

    It 'retries Langfuse throttling injected by the sandbox, then reports it' {
        Set-OpsSandboxFault -Service langfuse -ErrorRate 1 -Error 429:TooManyRequests
        try {
            $verbose = Get-LlmTrace -First 1 -Verbose -ErrorVariable failed -ErrorAction SilentlyContinue 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            @($verbose | Where-Object Message -match 'Langfuse: attempt \d+ failed \(HTTP 429\); retrying').Count | Should -Be 5
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'LangfuseThrottled*'
        }
        finally { Set-OpsSandboxFault -Reset }
        @(Get-LlmTrace -First 1).Count | Should -Be 1
    }
}
