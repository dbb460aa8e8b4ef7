# The Prometheus cmdlets against the sandbox's real Prometheus, as an operator runs them: a fault on api-service makes
# Get-ServiceHealth report it Unhealthy, queries have their shapes, bad PromQL is PromBadData with the parser's message,
# and alert rules are checked before they are applied, appear in the cluster and in Prometheus, and go again.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres

    # Rates need two scrapes: wait until Prometheus has them.
    $null = Wait-Until { Invoke-PromQuery 'sum(rate(http_requests_total{service="api-service"}[1m])) > 0' } 60
}

AfterAll {
    Set-OpsSandboxFault -Reset -ErrorAction Ignore
    Stop-TestSandbox $script:TestHome
}

Describe 'Invoke-PromQuery' {
    It 'returns typed samples for an instant query' {
        $samples = @(Invoke-PromQuery 'sum by (service) (rate(http_requests_total{namespace="real-estate-ai"}[1m]))')
        $samples.Count | Should -BeGreaterOrEqual 5
        $samples[0].GetType().FullName | Should -Be 'RealEstateOps.Engine.Prometheus.PromSample'
        $samples.ResultType | Sort-Object -Unique | Should -Be 'Vector'
        ($samples | Where-Object { $_.Metric['service'] -eq 'api-service' }).Value | Should -BeGreaterThan 0
        (Invoke-PromQuery 'vector(1) / 0').Value | Should -Be ([double]::PositiveInfinity)
    }

    It 'returns the points of each series for a range query' {
        $points = @(Invoke-PromQuery 'up{job="platform"}' -Start (Get-Date).AddSeconds(-20) -Step 2s)
        $points.Count | Should -BeGreaterOrEqual 2
        $points.ResultType | Sort-Object -Unique | Should -Be 'Matrix'
        $times = $points.Timestamp
        ($times | Sort-Object) -join ',' | Should -Be ($times -join ',')
        ($points | Out-String -Width 80) | Should -Match 'TIME\s+VALUE\s+METRIC'
    }

    It 'gives PromBadData with the parser''s message for bad PromQL' {
        $err = $null
        Invoke-PromQuery 'sum(rate(http_requests_total[1m]) by' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PromBadData,*'
        $err[0].Exception.Message | Should -Match 'parse error'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Get-ServiceHealth' {
    It 'reports every platform service with its measures' {
        $health = @(Get-ServiceHealth)
        foreach ($service in 'api-service', 'auth-service', 'llm-service', 'chatbot-service', 'proposal-service') {
            $h = $health | Where-Object Service -eq $service
            $h | Should -Not -BeNullOrEmpty -Because "$service is a platform service"
            $h.Verdict | Should -Not -Be 'NoData'
            $h.Pods | Should -BeGreaterThan 0
            $h.RequestRate | Should -BeGreaterThan 0
        }
        ($health | Out-String -Width 80) -split "`r?`n" | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'reports api-service Unhealthy with its error rate above the threshold after a fault, and HighErrorRate fires' {
        Set-OpsSandboxFault -Service api-service -ErrorRate 0.5 | Out-Null
        try {
            $api = Wait-Until { Get-ServiceHealth api-service | Where-Object Verdict -eq Unhealthy } 90
            $api.Verdict | Should -Be 'Unhealthy'
            $api.ErrorRatePercent | Should -BeGreaterThan $api.ErrorRateThresholdPercent
            $api.ErrorRateThresholdPercent | Should -Be 5
            $api.Reason | Should -Match 'error rate .* is above 5%'
            $alert = Wait-Until { Get-PromAlert HighErrorRate -State Firing | Where-Object Service -eq api-service } 90
            $alert | Should -Not -BeNullOrEmpty
            (Get-PromAlert HighErrorRate -State Firing | Get-ServiceHealth).Service | Should -Contain 'api-service'
        } finally {
            Set-OpsSandboxFault -Service api-service -ErrorRate 0 | Out-Null
        }
    }
}

Describe 'Alert rules' {
    It 'lists the platform rules from Prometheus and from the cluster' {
        $rules = @(Get-AlertRule -Group platform)
        $rules.Name | Should -Be @('HighErrorRate', 'HighLatencyP95', 'PodRestartingOften', 'DatabaseConnectionsHigh')
        ($rules | Where-Object Name -eq HighErrorRate).Duration | Should -Be ([timespan]::FromSeconds(10))
        $cluster = @(Get-AlertRule -Source Cluster)
        ($cluster | Where-Object ObjectName -eq platform-alerts).Count | Should -Be 4
        ($cluster | Out-String -Width 80) | Should -Match 'NAMESPACE\s+OBJECT\s+GROUP\s+RULE'
    }

    It 'refuses a bad expression with the parser''s message and creates nothing' {
        $err = $null
        New-AlertRule -Name BadRule -Expression 'sum(rate(http_requests_total[1m]) >' -ObjectName pester-alerts -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlertRuleInvalid,*'
        $err[0].Exception.Message | Should -Match 'parse error'
        Get-AlertRule -Source Cluster -ObjectName pester-alerts -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'creates nothing with -WhatIf' {
        New-AlertRule -Name PesterRule -Expression 'sum(rate(http_requests_total{code=~"5.."}[5m])) > 100' -For 1m -Severity info -ObjectName pester-alerts -WhatIf | Should -BeNullOrEmpty
        Get-AlertRule -Source Cluster -ObjectName pester-alerts -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-OpsJournal -Command New-AlertRule | Select-Object -Last 1).Outcome | Should -Be 'WhatIf'
    }

    It 'adds a good rule that appears in the cluster and, after the reload, in Prometheus; Remove-AlertRule removes it' {
        $rule = New-AlertRule -Name PesterRule -Expression 'sum(rate(http_requests_total{code=~"5.."}[5m])) > 100' -For 1m -Severity info -Summary 'Pester' -ObjectName pester-alerts -Group pester
        $rule.ObjectName | Should -Be 'pester-alerts'
        (Get-AlertRule PesterRule -Source Cluster).Group | Should -Be 'pester'
        $loaded = Wait-Until { Get-AlertRule PesterRule } 60
        $loaded.Health | Should -Not -Be 'Err'
        $loaded.Group | Should -Be 'pester'
        Set-AlertRule PesterRule -For 2m -Confirm:$false | Out-Null
        (Get-AlertRule PesterRule -Source Cluster).For | Should -Be '2m'
        Remove-AlertRule PesterRule -Force
        Get-AlertRule -Source Cluster -ObjectName pester-alerts -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $gone = Wait-Until { -not (Get-AlertRule PesterRule) } 60
        $gone | Should -BeTrue
        (Get-AlertRule -Source Cluster -ObjectName platform-alerts).Count | Should -Be 4
    }
}

Describe 'Get-BusinessMetric' {
    It 'gives each metric with its source' {
        $metrics = @(Get-BusinessMetric)
        ($metrics | Where-Object Source -eq Prometheus).Name | Should -Be @('ActiveUsers', 'ChatbotConversations', 'PropertySearches', 'ProposalsGenerated', 'ConversionRatePercent')
        ($metrics | Where-Object Source -eq Database).Name | Should -Be @('Properties', 'Listings', 'Proposals', 'ChatSessions')
        ($metrics | Where-Object Name -eq Properties).Value | Should -BeGreaterThan 0
    }
}
