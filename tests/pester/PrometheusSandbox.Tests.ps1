# The sandbox's real Prometheus and Alertmanager, as Start-OpsSandbox runs them: scraping the platform metrics, loaded
# with the platform's rules, firing HighErrorRate when a fault is injected on api-service, and PrometheusRule objects
# applied with kubectl validated by promtool. Every call to Prometheus, Alertmanager and kubectl runs under Invoke-Client.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
    $script:CacheDir = Join-Path $TestHome 'kube-cache'

    # GET a JSON API (Prometheus, Alertmanager, the sandbox's control endpoints) with curl under Invoke-Client.
    function script:Get-Json([string] $Url, [hashtable] $Headers = @{}) {
        $h = foreach ($k in $Headers.Keys) { '-H'; "${k}: $($Headers[$k])" }
        $out = Invoke-Client curl -sS --fail-with-body --max-time 15 @h $Url 2>&1
        if ($LASTEXITCODE -ne 0) { throw "curl $Url failed ($LASTEXITCODE): $out" }
        ($out -join "`n") | ConvertFrom-Json
    }
    function script:Invoke-PromQuery([string] $Query) {
        (Get-Json "$($Sandbox.PrometheusUrl)api/v1/query?query=$([uri]::EscapeDataString($Query))").data.result
    }
    function script:kc { Invoke-SandboxKubectl $Sandbox.KubeconfigPath $script:CacheDir @args }
    . (Join-Path $RepoRoot 'tools/Prerequisites.ps1')
    $script:KubectlProblem = Get-KubectlProblem
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'The sandbox''s Prometheus and Alertmanager' {
    It 'publishes where they listen in the instance and the sandbox context' {
        $Sandbox.PrometheusUrl | Should -Match '^http://127\.0\.0\.1:\d+/$'
        $Sandbox.AlertmanagerUrl | Should -Match '^http://127\.0\.0\.1:\d+/$'
        $Sandbox.MonitoringMessage | Should -Match 'Prometheus at'
        $context = Get-OpsContext sandbox
        $context.ServiceUrls['prometheus'] | Should -Be $Sandbox.PrometheusUrl.TrimEnd('/')
        $context.ServiceUrls['alertmanager'] | Should -Be $Sandbox.AlertmanagerUrl.TrimEnd('/')
        (Get-OpsSandbox).PrometheusUrl | Should -Be $Sandbox.PrometheusUrl
        $folder = @(Get-ChildItem -Directory $Sandbox.StateFolder -Filter 'monitoring-*')
        $folder.Count | Should -Be 1
        (stat -c '%a' $folder[0].FullName) | Should -Be '700'
    }

    It 'scrapes the platform job' {
        $up = Wait-Until { Invoke-PromQuery 'up{job="platform"} == 1' } 30
        @($up).Count | Should -Be 1
        # A rate needs two scrapes: asked for until there are.
        $services = Wait-Until { Invoke-PromQuery 'sum by (service) (rate(http_requests_total{namespace="real-estate-ai"}[1m])) > 0' } 30
        @($services.metric.service | Sort-Object) | Should -Be @('api-service', 'auth-service', 'chatbot-service', 'llm-service', 'proposal-service')
    }

    It 'has the four platform rules loaded' {
        $groups = (Get-Json "$($Sandbox.PrometheusUrl)api/v1/rules").data.groups
        $platform = $groups | Where-Object name -eq 'platform'
        $platform.file | Should -BeLike '*/rules/monitoring-platform-alerts.yaml'
        @($platform.rules.name) | Should -Be @('HighErrorRate', 'HighLatencyP95', 'PodRestartingOften', 'DatabaseConnectionsHigh')
        @($platform.rules | Where-Object health -eq 'err') | Should -BeNullOrEmpty
    }

    It 'fires HighErrorRate for api-service when half its requests fail, and the Alertmanager has it' {
        Wait-Until { Invoke-PromQuery 'up{job="platform"} == 1' } 30 | Should -Not -BeNullOrEmpty
        $set = Set-OpsSandboxFault -Service api-service -ErrorRate 0.5 -Confirm:$false
        $set.Service | Should -Be 'api-service'
        $started = [DateTime]::UtcNow
        try {
            $firing = Wait-Until {
                (Get-Json "$($Sandbox.PrometheusUrl)api/v1/alerts").data.alerts |
                    Where-Object { $_.labels.alertname -eq 'HighErrorRate' -and $_.labels.service -eq 'api-service' -and $_.state -eq 'firing' }
            } 90
            $firing | Should -Not -BeNullOrEmpty -Because 'HighErrorRate should fire within 90 s of the fault'
            Write-Host "HighErrorRate fired $([int]([DateTime]::UtcNow - $started).TotalSeconds) s after the fault"
            $firing.labels.severity | Should -Be 'critical'
            $firing.labels.namespace | Should -Be 'real-estate-ai'
            $firing.annotations.runbook_url | Should -Not -BeNullOrEmpty
            # Only the faulted service.
            @((Get-Json "$($Sandbox.PrometheusUrl)api/v1/alerts").data.alerts | Where-Object { $_.labels.alertname -eq 'HighErrorRate' -and $_.labels.service -ne 'api-service' }) | Should -BeNullOrEmpty

            $inAlertmanager = Wait-Until {
                Get-Json "$($Sandbox.AlertmanagerUrl)api/v2/alerts" | Where-Object { $_.labels.alertname -eq 'HighErrorRate' -and $_.labels.service -eq 'api-service' }
            } 30
            $inAlertmanager | Should -Not -BeNullOrEmpty
            $inAlertmanager.status.state | Should -Be 'active'
            # Its webhook receiver is the sandbox, which records what it was sent.
            $notified = Wait-Until {
                Get-Json "$($Sandbox.Url)_sandbox/monitoring/notifications" (Get-SandboxControlHeader $Sandbox) |
                    Where-Object { $_.status -eq 'firing' -and $_.groupLabels.alertname -eq 'HighErrorRate' -and $_.groupLabels.service -eq 'api-service' }
            } 30
            $notified | Should -Not -BeNullOrEmpty
        } finally {
            Set-OpsSandboxFault -Service api-service -ErrorRate 0 -Confirm:$false | Out-Null
        }
    }

    It 'offers the platform services as fault targets and refuses others' {
        (Get-OpsSandbox).PlatformServices | Should -Be @('api-service', 'auth-service', 'llm-service', 'chatbot-service', 'proposal-service')
        { Set-OpsSandboxFault -Service billing-service -ErrorRate 0.5 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxServiceUnknown*'
        $completions = (TabExpansion2 -inputScript 'Set-OpsSandboxFault -Service pro' -cursorColumn 32).CompletionMatches.CompletionText
        $completions | Should -Contain 'proposal-service'
    }
}

Describe 'PrometheusRule objects applied with kubectl' {
    BeforeEach { if ($KubectlProblem) { Set-ItResult -Skipped -Because $KubectlProblem } }

    It 'lists platform-alerts in the monitoring namespace' {
        $out = kc get prometheusrules -n monitoring
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        ($out -join "`n") | Should -Match '(?m)^platform-alerts\s'
    }

    It 'refuses a rule with a bad expression with promtool''s parse message' {
        $file = Join-Path $TestHome 'bad-rule.yaml'
        Set-Content $file @'
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: bad-rule
  namespace: monitoring
spec:
  groups:
    - name: bad
      rules:
        - alert: Broken
          expr: sum(rate(http_requests_total[1m]) >
'@
        $out = kc apply -f $file
        $LASTEXITCODE | Should -Not -Be 0
        $text = $out -join "`n"
        $text | Should -Match 'denied the request'
        $text | Should -Match 'could not parse expression: .*parse error'
        kc get prometheusrule bad-rule -n monitoring | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'loads a good rule into Prometheus and removes it on kubectl delete' {
        $file = Join-Path $TestHome 'good-rule.yaml'
        Set-Content $file @'
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: new-alert
  namespace: monitoring
spec:
  groups:
    - name: new-alert
      rules:
        - alert: ScrapeDown
          expr: up{job="platform"} == 0
          for: 1m
          labels:
            severity: critical
'@
        $out = kc apply -f $file
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        ($out -join "`n") | Should -Match 'prometheusrule.monitoring.coreos.com/new-alert created'
        $loaded = Wait-Until { (Get-Json "$($Sandbox.PrometheusUrl)api/v1/rules").data.groups | Where-Object name -eq 'new-alert' } 20
        $loaded.rules.name | Should -Be 'ScrapeDown'
        $loaded.file | Should -BeLike '*/monitoring-new-alert.yaml'

        # Applied again with a change: patched, still valid, reloaded.
        (Get-Content -Raw $file) -replace 'for: 1m', 'for: 2m' | Set-Content $file
        $out = kc apply -f $file
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $changed = Wait-Until { (Get-Json "$($Sandbox.PrometheusUrl)api/v1/rules").data.groups | Where-Object name -eq 'new-alert' | Where-Object { $_.rules[0].duration -eq 120 } } 20
        $changed | Should -Not -BeNullOrEmpty

        $out = kc delete -f $file
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $gone = Wait-Until { -not ((Get-Json "$($Sandbox.PrometheusUrl)api/v1/rules").data.groups | Where-Object name -eq 'new-alert') } 20
        $gone | Should -BeTrue
    }
}

Describe 'Stopping, and starting without monitoring' {
    It 'stops the programs it started, and starts without them under -NoMonitoring' {
        $record = Get-Content -Raw (Join-Path $Sandbox.StateFolder 'monitoring.json') | ConvertFrom-Json
        @($record.processes).Count | Should -Be 2
        Stop-OpsSandbox -Confirm:$false | Out-Null
        foreach ($p in $record.processes) { Test-Path "/proc/$($p.processId)" | Should -BeFalse -Because "$($p.program) ($($p.processId)) should be stopped" }
        $record.folder | Should -Not -Exist

        $script:Sandbox = Start-OpsSandbox -NoMonitoring
        $Sandbox.PrometheusUrl | Should -BeNullOrEmpty
        $Sandbox.AlertmanagerUrl | Should -BeNullOrEmpty
        $Sandbox.MonitoringMessage | Should -Match '-NoMonitoring'
        (Get-OpsContext sandbox).ServiceUrls.ContainsKey('prometheus') | Should -BeFalse
        @(Get-ChildItem -Directory $Sandbox.StateFolder -Filter 'monitoring-*') | Should -BeNullOrEmpty
    }
}
