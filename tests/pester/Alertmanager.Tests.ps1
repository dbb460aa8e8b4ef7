# Conformance: amtool, Alertmanager's own client, and the silence cmdlets see the same silences on the sandbox's real
# Alertmanager. Every amtool call runs under Invoke-Client (a timeout, so a hang fails).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
    function script:amtool {
        $out = Invoke-Client amtool --alertmanager.url=$($Sandbox.AlertmanagerUrl) @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "amtool $args failed ($LASTEXITCODE): $out" }
        $out
    }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'Silences: the cmdlets and amtool' {
    BeforeAll { $Sandbox.AlertmanagerUrl | Should -Not -BeNullOrEmpty -Because 'the sandbox runs the real Alertmanager (build.ps1 installs it)' }

    It 'amtool sees the silence New-AlertSilence made, with its matchers, author and comment' {
        $silence = New-AlertSilence -Matcher alertname=HighErrorRate, 'service=~"api.*"' -Duration 2h -Comment 'CHG-1 conformance' -CreatedBy ops-oncall
        $seen = (amtool silence query -o json) -join "`n" | ConvertFrom-Json | Where-Object id -eq $silence.Id
        $seen | Should -Not -BeNullOrEmpty
        $seen.createdBy | Should -Be 'ops-oncall'
        $seen.comment | Should -Be 'CHG-1 conformance'
        ($seen.matchers | Where-Object name -eq service).isRegex | Should -BeTrue
        ($seen.matchers | Where-Object name -eq service).value | Should -Be 'api.*'
        ([DateTimeOffset]$seen.endsAt - $silence.EndsAt).Duration().TotalSeconds | Should -BeLessThan 1
        (amtool silence query -q alertname=HighErrorRate) | Should -Contain $silence.Id
    }

    It 'Get-AlertSilence reads what amtool added, and Remove-AlertSilence expires it for amtool too' {
        $id = (amtool silence add --comment='added by amtool' --author=amtool --duration=1h alertname=PodRestartingOften namespace=real-estate-ai) | Select-Object -Last 1
        $silence = Get-AlertSilence -Id $id
        $silence.MatcherText | Should -Be 'alertname="PodRestartingOften" namespace="real-estate-ai"'
        $silence.CreatedBy | Should -Be 'amtool'
        (Get-AlertSilence -Matcher alertname=PodRestartingOften -State Active).Id | Should -Contain $id
        $silence | Remove-AlertSilence -Confirm:$false
        (amtool silence query -q) | Should -Not -Contain $id
        (amtool silence query -q --expired) | Should -Contain $id
        (Get-AlertSilence -Id $id).State | Should -Be 'Expired'
    }

    It 'amtool expire and Get-AlertSilence agree' {
        $silence = New-AlertSilence -Matcher alertname=DatabaseConnectionsHigh -Duration 10m -Comment 'to expire with amtool'
        amtool silence expire $silence.Id | Out-Null
        (Get-AlertSilence -Id $silence.Id).State | Should -Be 'Expired'
    }

    It 'Update-EksNodeGroup -SilenceAlerts needs -Wait; Invoke-EksUpgrade -SilenceAlerts -WhatIf says what it would silence and silences nothing' {
        { Update-EksNodeGroup -KubernetesVersion 1.32 -SilenceAlerts -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'SilenceAlertsNeedsWait*'
        $before = @(Get-AlertSilence).Count
        $null = Invoke-EksUpgrade -SilenceAlerts -WhatIf -WarningAction SilentlyContinue
        @(Get-AlertSilence).Count | Should -Be $before
        $entry = Get-OpsJournal -Command Invoke-EksUpgrade | Where-Object Action -like 'Silence {alertname=~"HighErrorRate|PodRestartingOften"}*'
        $entry.Outcome | Should -Contain 'WhatIf'
    }

    It 'every help example of the silence cmdlets runs on the sandbox (New and Remove with -WhatIf)' {
        { Get-AlertSilence -State Active, Pending | Out-String } | Should -Not -Throw
        { Get-AlertmanagerAlert | Out-String } | Should -Not -Throw
        $before = @(Get-AlertSilence).Count
        New-AlertSilence -Matcher alertname=HighErrorRate, service=api-service -Duration 30m -Comment 'INC-42: rolling back api-service' -WhatIf
        @(Get-AlertSilence).Count | Should -Be $before
    }
}
