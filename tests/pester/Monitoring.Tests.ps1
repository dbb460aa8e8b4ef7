# What must show, on the sandbox's real Prometheus and Alertmanager: a change to api-service, then a fault on it that
# Get-ServiceHealth reports; HighErrorRate fires (Get-PromAlert); New-AlertSilence mutes it (Alertmanager shows it
# silenced); Get-AlertInvestigation names api-service and the most recent change; a new rule with a bad expression is
# refused with Prometheus' parser message; and examples/Invoke-HighErrorRateResponse.ps1 runs the response end to end.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
    $script:CacheDir = Join-Path $TestHome 'kube-cache'
    function script:kc { Invoke-SandboxKubectl $Sandbox.KubeconfigPath $script:CacheDir @args }
    . (Join-Path $RepoRoot 'tools/Prerequisites.ps1')
    $script:KubectlProblem = Get-KubectlProblem
}

AfterAll {
    Set-OpsSandboxFault -Service api-service -ErrorRate 0 -Confirm:$false -ErrorAction Ignore | Out-Null
    Stop-TestSandbox $script:TestHome
}

Describe 'The High Error Rate response on the real Prometheus and Alertmanager' {
    BeforeAll {
        $Sandbox.AlertmanagerUrl | Should -Not -BeNullOrEmpty -Because 'the sandbox runs the real Prometheus and Alertmanager (build.ps1 installs them)'
        Wait-Until { Invoke-PromQuery 'up{job="platform"} == 1' -ErrorAction SilentlyContinue } 60 | Should -Not -BeNullOrEmpty
        # A change first: a rollout of api-service with a new image (a new revision).
        $script:Before = Get-RolloutHistory api-service | Where-Object IsCurrent
        $script:NewImage = ($Before.Images | Select-Object -First 1) -replace ':[^:/]+$', ':1.9.9'
        $script:ChangedAt = [DateTimeOffset]::UtcNow
        $kube = kc set image deployment/api-service "*=$NewImage" -n real-estate-ai
        $LASTEXITCODE | Should -Be 0 -Because "$kube"
        Wait-Rollout api-service -Timeout 60s | Out-Null
        # Then the fault: 40% of api-service's requests answer 5xx.
        Set-OpsSandboxFault -Service api-service -ErrorRate 0.4 -Confirm:$false | Out-Null
    }
    AfterAll { Set-OpsSandboxFault -Service api-service -ErrorRate 0 -Confirm:$false -ErrorAction Ignore | Out-Null }

    It 'Get-ServiceHealth reports api-service unhealthy, and only it' {
        $health = Wait-Until { Get-ServiceHealth api-service | Where-Object Verdict -eq Unhealthy } 90
        $health | Should -Not -BeNullOrEmpty
        $health.ErrorRatePercent | Should -BeGreaterThan 5
        $health.Reason | Should -Match 'error rate'
        @(Get-ServiceHealth | Where-Object { $_.Verdict -eq 'Unhealthy' -and $_.Service -ne 'api-service' }) | Should -BeNullOrEmpty
    }

    It 'HighErrorRate fires for api-service' {
        $firing = Wait-Until { Get-PromAlert HighErrorRate -State Firing | Where-Object Service -eq api-service } 120
        $firing | Should -Not -BeNullOrEmpty -Because 'HighErrorRate fires within ~30 s of the fault'
        $firing.Severity | Should -Be 'critical'
        $firing.Namespace | Should -Be 'real-estate-ai'
    }

    It 'New-AlertSilence mutes it: Alertmanager shows it silenced, amtool sees the silence' {
        Wait-Until { Get-AlertmanagerAlert HighErrorRate | Where-Object Service -eq api-service } 60 | Should -Not -BeNullOrEmpty
        $script:Silence = New-AlertSilence -Matcher alertname=HighErrorRate, service=api-service -Duration 30m -Comment 'INC-12: investigating api-service'
        $Silence.State | Should -Be 'Active'
        $muted = Wait-Until { Get-AlertmanagerAlert HighErrorRate -Silenced | Where-Object Service -eq api-service } 30
        $muted.State | Should -Be 'Suppressed'
        $muted.SilencedBy | Should -Contain $Silence.Id
        (Get-AlertSilence -Matcher alertname=HighErrorRate -State Active).Id | Should -Contain $Silence.Id
        $amtool = Invoke-Client amtool silence query --alertmanager.url=$($Sandbox.AlertmanagerUrl) -o json alertname=HighErrorRate 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$amtool"
        ($amtool -join "`n" | ConvertFrom-Json).id | Should -Contain $Silence.Id
    }

    It 'Get-AlertInvestigation names api-service and the most recent change, and suggests rolling it back' {
        $investigation = Get-AlertInvestigation -Alert HighErrorRate -Since 15m
        $investigation.AffectedServices | Should -Be @('api-service')
        $spike = $investigation.Spikes | Where-Object Service -eq api-service
        $spike.Ongoing | Should -BeTrue
        $spike.Since | Should -BeGreaterThan $ChangedAt.AddMinutes(-1)
        $investigation.MostRecentChange.Target | Should -Be 'api-service'
        $investigation.MostRecentChange.Kind | Should -Be 'Rollout'
        $investigation.MostRecentChange.Images | Should -Contain $NewImage
        $investigation.MostRecentChange.Revision | Should -BeGreaterThan $Before.Revision
        $investigation.Suggestion.Kind | Should -Be 'RollBack'
        $investigation.Suggestion.Command | Should -Be 'Undo-Deployment api-service -Namespace real-estate-ai -Wait'
        # The sandbox runs Argo CD and its context names it: the syncs are read (none into the namespace in this window).
        $investigation.ArgoCd | Should -Match '^\d+ sync\(s\) into real-estate-ai in the window'
        $investigation.JournalEntries.Command | Should -Contain 'New-AlertSilence'
        @($investigation.Pressure | Where-Object Scope -eq Node).Count | Should -BeGreaterThan 0
        $investigation.Gaps | Should -BeNullOrEmpty
        # Each piece on its own.
        (Get-ServiceErrorSpike -Since 15m).Service | Should -Be @('api-service')
        (Get-RecentChange api-service -Kind Rollout -Since 15m -WarningAction SilentlyContinue | Select-Object -First 1).Images | Should -Contain $NewImage
        ($investigation | Out-String -Width 120) | Should -Match 'api-service'
    }

    It 'Remove-AlertSilence expires the silence and the alert is notified again' {
        Remove-AlertSilence -Id $Silence.Id -Confirm:$false
        (Get-AlertSilence -Id $Silence.Id).State | Should -Be 'Expired'
        Wait-Until { Get-AlertmanagerAlert HighErrorRate -State Active | Where-Object Service -eq api-service } 30 | Should -Not -BeNullOrEmpty
    }

    It 'refuses a new rule with a bad expression with Prometheus'' parser message' {
        $err = $null
        New-AlertRule -Name BrokenRule -Expression 'sum(rate(http_requests_total[5m]) >' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -Not -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlertRuleInvalid*'
        $err[0].Exception.Message | Should -Match 'parse error'
        @(Get-AlertRule BrokenRule -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
    }
}

Describe 'examples/Invoke-HighErrorRateResponse.ps1 on the sandbox' {
    BeforeAll {
        # The previous fault cleared and its alert resolved, so that the example starts from a healthy platform.
        Set-OpsSandboxFault -Service api-service -ErrorRate 0 -Confirm:$false | Out-Null
        Wait-Until { -not (Get-PromAlert HighErrorRate | Where-Object Service -eq api-service) } 180 | Should -BeTrue
    }

    It 'breaks api-service with a bad rollout, silences, investigates, rolls back, verifies, expires the silence and documents' {
        $report = Join-Path $TestHome 'DRILL-12.md'
        $out = & (Join-Path $RepoRoot 'examples/Invoke-HighErrorRateResponse.ps1') -RehearseWith api-service -Incident DRILL-12 -ReportPath $report 6>&1 | Out-String -Width 200
        $LASTEXITCODE | Should -Be 0 -Because $out
        $out | Should -Match 'Suggested action: RollBack'
        $out | Should -Match 'Resolved\.'
        (Get-RolloutHistory api-service | Where-Object IsCurrent).Images | Should -Not -Match ':broken'
        $silence = Get-AlertSilence -Matcher alertname=HighErrorRate | Where-Object Comment -like 'DRILL-12:*'
        $silence.State | Should -Be 'Expired'
        $text = Get-Content -Raw $report
        $text | Should -Match '# DRILL-12 - High Error Rate'
        $text | Should -Match 'api-service revision \d+ \(.*:broken\)'
        $text | Should -Match 'Undo-Deployment deployment/api-service'
        $journal = Get-OpsJournal -Command New-AlertSilence, Undo-Deployment, Remove-AlertSilence | Where-Object { $_.Timestamp -gt [DateTimeOffset]::UtcNow.AddMinutes(-10) }
        @($journal.Command | Select-Object -Last 3) | Should -Be @('New-AlertSilence', 'Undo-Deployment', 'Remove-AlertSilence')
    }
}
