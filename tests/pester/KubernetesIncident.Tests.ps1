# Conformance of the incident runbook's Kubernetes steps: the real kubectl execs into the sandbox's pods over the
# WebSocket channel protocol (kubectl exec deploy/api-service -- pg_isready -h $DB_HOST) and scales through the scale
# subresource; the module's cmdlets and kubectl see the same results.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -Speed 5
    $script:Kubeconfig = $Sandbox.KubeconfigPath
    $script:CacheDir = Join-Path $TestHome 'kube-cache'
    function script:kc {
        # kubectl with the sandbox's kubeconfig; stdout and stderr as lines, exit code in $LASTEXITCODE.
        $env:KUBECONFIG = $script:Kubeconfig
        try { Invoke-Client kubectl --cache-dir $script:CacheDir @args 2>&1 | ForEach-Object { "$_" } } finally { $env:KUBECONFIG = $null }
    }
    . (Join-Path $RepoRoot 'tools/Prerequisites.ps1')
    $script:KubectlProblem = Get-KubectlProblem
    if ($KubectlProblem) { Write-Host "Skipping the tests that run kubectl: $KubectlProblem" }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'kubectl exec against the sandbox' {
    BeforeEach { if ($KubectlProblem) { Set-ItResult -Skipped -Because $KubectlProblem } }

    It 'runs the runbook''s pg_isready in an api-service pod against the real database' {
        $out = kc exec deploy/api-service -n real-estate-ai '--' sh -c 'pg_isready -h $DB_HOST'
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        ($out -join "`n") | Should -Match ':5432 - accepting connections'
        # The module's exec says the same.
        $result = Invoke-PodCommand -Deployment api-service -Command sh, -c, 'pg_isready -h $DB_HOST'
        $result.ExitCode | Should -Be 0
        $result.StdOut | Should -Match ':5432 - accepting connections'
    }

    It 'passes exit codes, stderr and a container choice through as kubectl expects them' {
        $out = kc exec deploy/auth-service -n real-estate-ai '--' sh -c 'exit 3'
        $LASTEXITCODE | Should -Be 3
        ($out -join "`n") | Should -Match 'command terminated with exit code 3'
        $missing = kc exec deploy/auth-service -n real-estate-ai '--' curl http://example.com
        $LASTEXITCODE | Should -Be 127
        ($missing -join "`n") | Should -Match 'not found'
        $pod = (Get-KubePod -Selector app=api-service | Select-Object -First 1).Name
        $hostname = kc exec $pod -n real-estate-ai -c api '--' cat /etc/hostname
        $LASTEXITCODE | Should -Be 0
        $hostname | Should -Contain $pod
        $bad = kc exec $pod -n real-estate-ai -c nope '--' env
        $LASTEXITCODE | Should -Not -Be 0
        ($bad -join "`n") | Should -Match 'nope'
    }

    It 'never shows a password, not even to kubectl' {
        $out = kc exec deploy/api-service -n real-estate-ai -c api '--' env
        $LASTEXITCODE | Should -Be 0
        $line = $out | Where-Object { $_ -like 'DB_PASSWORD=*' }
        $line | Should -Not -BeNullOrEmpty
        $password = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String((kc get secret db-credentials -n real-estate-ai -o 'jsonpath={.data.password}')))
        $password.Length | Should -BeGreaterThan 8
        $line | Should -Not -Match ([regex]::Escape($password))
        ($out -join "`n") | Should -Not -Match ([regex]::Escape($password))
        $line | Should -Match '^DB_PASSWORD=\*+$'
    }
}

Describe 'kubectl scale and the module''s scale against the sandbox' {
    BeforeEach { if ($KubectlProblem) { Set-ItResult -Skipped -Because $KubectlProblem } }

    It 'scales through the scale subresource, and the module reads the same count' {
        $out = kc scale deployment/chatbot-service -n real-estate-ai --replicas=3
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        ($out -join "`n") | Should -Match 'deployment.apps/chatbot-service scaled'
        kc get deployment chatbot-service -n real-estate-ai --subresource=scale -o 'jsonpath={.spec.replicas}' | Should -Be '3'
        $scaled = Set-DeploymentScale chatbot-service 2 -Wait -Timeout 2m -Confirm:$false
        $scaled.PreviousReplicas | Should -Be 3
        $scaled.Replicas | Should -Be 2
        kc get deployment chatbot-service -n real-estate-ai -o 'jsonpath={.spec.replicas}' | Should -Be '2'
        # kubectl's precondition: --current-replicas that does not match is refused by kubectl.
        kc scale deployment/chatbot-service -n real-estate-ai --replicas=4 --current-replicas=9 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }
}

Describe 'The llm-service configuration as kubectl sees it' {
    BeforeEach { if ($KubectlProblem) { Set-ItResult -Skipped -Because $KubectlProblem } }

    It 'switches to the fallback provider, restarts llm-service and reverts' {
        $change = Switch-LlmProvider -Wait -Timeout 2m -Confirm:$false
        $change.NewValue | Should -Be 'anthropic'
        kc get configmap llm-service-config -n real-estate-ai -o 'jsonpath={.data.LLM_PROVIDER}' | Should -Be 'anthropic'
        kc get deployment llm-service -n real-estate-ai -o 'jsonpath={.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}' | Should -Not -BeNullOrEmpty
        (Invoke-PodCommand -Deployment llm-service -Command printenv, LLM_PROVIDER).StdOut.Trim() | Should -Be 'anthropic'
        Switch-LlmProvider -Revert -Confirm:$false | Out-Null
        kc get configmap llm-service-config -n real-estate-ai -o 'jsonpath={.data.LLM_PROVIDER}' | Should -Be 'openai'
        @(Get-OpsJournal -Command Switch-LlmProvider).Count | Should -Be 2
    }
}
