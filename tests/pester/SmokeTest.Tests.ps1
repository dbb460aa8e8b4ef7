# Smoke tests on the sandbox: the service proxy as kubectl reaches it (conformance), Invoke-SmokeTest with the platform's
# check file and the team's script (examples/), the JUnit report it writes (valid XML, counts, 0600), and a release with a
# :broken image failing the health check with 503 so that -ErrorAction Stop throws.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
    $script:CacheDir = Join-Path $TestHome 'kube-cache'
    function script:kc { Invoke-SandboxKubectl $Sandbox.KubeconfigPath $script:CacheDir @args }
    $script:Checks = Join-Path $RepoRoot 'examples/smoke-checks.json'
    $script:Script = Join-Path $TestHome 'run-smoke-tests.sh'
    Copy-Item (Join-Path $RepoRoot 'examples/run-smoke-tests.sh') $Script
    [IO.File]::SetUnixFileMode($Script, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    # Waits on a condition (polled), at most $Seconds; returns its last value.
    function script:Wait-For([scriptblock] $Condition, [int] $Seconds = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not ($value = & $Condition) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        $value
    }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'The Kubernetes API service proxy (kubectl get --raw)' {
    It 'answers api-service''s /health as the service would' {
        $answer = kc get --raw /api/v1/namespaces/real-estate-ai/services/api-service:80/proxy/health
        $LASTEXITCODE | Should -Be 0 -Because "$answer"
        $json = "$answer" | ConvertFrom-Json
        $json.status | Should -Be 'ok'
        $json.service | Should -Be 'api-service'
        $json.version | Should -Be '1.8.2'
    }

    It 'serves an app path with its query, and 404 for an unknown one' {
        $answer = kc get --raw '/api/v1/namespaces/real-estate-ai/services/api-service:80/proxy/api/v1/properties?limit=1'
        $LASTEXITCODE | Should -Be 0
        ("$answer" | ConvertFrom-Json).items.Count | Should -Be 1
        $missing = kc get --raw /api/v1/namespaces/real-estate-ai/services/api-service:80/proxy/no/such/path
        $LASTEXITCODE | Should -Not -Be 0
        "$missing" | Should -Match 'NotFound|404'
    }
}

Describe 'Invoke-SmokeTest' {
    It 'passes every check of the platform''s check file and writes a 0600 JUnit report with the right counts' {
        $junit = Join-Path $TestHome 'checks.xml'
        $results = Invoke-SmokeTest -CheckFile $Checks -JUnitPath $junit -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        $results.Count | Should -Be 7
        $results.Outcome | Sort-Object -Unique | Should -Be 'Passed'
        $results.Source | Sort-Object -Unique | Should -Be 'Check'
        ($results | Where-Object Name -eq 'api-service health').StatusCode | Should -Be 200
        [IO.File]::GetUnixFileMode($junit) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        [xml] $xml = Get-Content -Raw $junit
        $xml.testsuites.tests | Should -Be '7'
        $xml.testsuites.failures | Should -Be '0'
        @($xml.testsuites.testsuite.testcase).Count | Should -Be 7
        ($results | Out-String -Width 80) | Should -Match 'Passed'
        ($results | Out-String -Width 120) | Should -Match 'api-service health'
    }

    It 'runs the team''s script and reads its JUnit XML into typed results' {
        $results = Invoke-SmokeTest -Script $Script -ScriptJUnitPath (Join-Path $TestHome 'script.xml') -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        $results.Count | Should -Be 5
        $results.Source | Sort-Object -Unique | Should -Be 'Script'
        $results.Outcome | Sort-Object -Unique | Should -Be 'Passed'
        $results.Name | Should -Contain 'llm-service health'
    }

    It 'refuses a run with nothing to run' {
        { Invoke-SmokeTest -ErrorAction Stop } | Should -Throw -ErrorId 'SmokeTestNothingToRun*'
    }
}

Describe 'A release with a :broken image' {
    BeforeAll {
        $image = (kc get deployment api-service -n real-estate-ai -o 'jsonpath={.spec.template.spec.containers[0].image}') -replace ':[^:/]+$', ':broken'
        $out = kc set image deployment/api-service "*=$image" -n real-estate-ai
        $LASTEXITCODE | Should -Be 0 -Because "$out"
        # The new pod starts (and crash-loops): the release under test is now the broken one.
        Wait-For { kc get pods -l app=api-service -n real-estate-ai -o 'jsonpath={range .items[*]}{.status.phase} {.spec.containers[0].image}{"\n"}{end}' | Where-Object { $_ -match '^Running .*:broken$' } } | Should -Not -BeNullOrEmpty
    }
    AfterAll { kc rollout undo deployment/api-service -n real-estate-ai | Out-Null }

    It 'fails the health check with 503, writes it to the report, and -ErrorAction Stop throws SmokeTestFailed' {
        $junit = Join-Path $TestHome 'broken.xml'
        $results = Invoke-SmokeTest -CheckFile $Checks -JUnitPath $junit -ErrorVariable failures -ErrorAction SilentlyContinue
        $health = $results | Where-Object Name -eq 'api-service health'
        $health.Outcome | Should -Be 'Failed'
        $health.StatusCode | Should -Be 503
        ($results | Where-Object Name -eq 'auth-service health').Outcome | Should -Be 'Passed'
        $failures.Count | Should -BeGreaterOrEqual 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SmokeTestFailed,*'
        [xml] $xml = Get-Content -Raw $junit
        [int] $xml.testsuites.failures | Should -Be $failures.Count
        { Invoke-SmokeTest -CheckFile $Checks -ErrorAction Stop } | Should -Throw -ErrorId 'SmokeTestFailed*'
        Invoke-SmokeTest -CheckFile $Checks -ErrorAction SilentlyContinue | Out-Null
        $? | Should -BeFalse
    }

    It 'fails the team''s script, which exits non-zero' {
        $results = Invoke-SmokeTest -Script $Script -ScriptJUnitPath (Join-Path $TestHome 'script-broken.xml') -ErrorAction SilentlyContinue
        ($results | Where-Object Name -eq 'api-service health').Outcome | Should -Be 'Failed'
    }
}
