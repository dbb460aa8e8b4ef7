# Notices to stakeholders on the sandbox: Send-OpsNotification to the channels Start-OpsSandbox's context names (ops-slack,
# ops-teams, oncall) arrives at the sandbox's sink with what, why, status and who; -WhatIf sends nothing; the journal holds
# no webhook URL or routing key; a broken channel is a non-terminating error with its id while the others are delivered.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
    $script:Info = Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json') | ConvertFrom-Json
    $script:Control = @{ 'X-Sandbox-Token' = (Get-Content -Raw $Sandbox.ControlTokenFile).Trim() }
    $script:Secrets = @(
        (Get-Content $Info.notifications.slackWebhookUrlFile -First 1).Trim()
        (Get-Content $Info.notifications.teamsWebhookUrlFile -First 1).Trim()
        (Get-Content $Info.notifications.pagerDutyRoutingKeyFile -First 1).Trim()
    )
    # Each recorded notice as its own object (assigned first: an empty JSON array is then no output at all).
    function script:Get-Received { $all = Invoke-RestMethod -Uri "$($Sandbox.Url)_sandbox/notifications" -Headers $Control; $all }
    function script:Clear-Received { Invoke-RestMethod -Method Delete -Uri "$($Sandbox.Url)_sandbox/notifications" -Headers $Control | Out-Null }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'The sandbox publishes its stakeholder sink' {
    It 'names 0600 secret files in its info file, and the sandbox context has ops-slack, ops-teams and oncall' {
        foreach ($file in $Info.notifications.slackWebhookUrlFile, $Info.notifications.teamsWebhookUrlFile, $Info.notifications.pagerDutyRoutingKeyFile) {
            [IO.File]::GetUnixFileMode($file) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        }
        $Secrets[2] | Should -Match '^[0-9a-f]{32}$'
        $raw = Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json')
        foreach ($secret in $Secrets) { $raw | Should -Not -Match ([regex]::Escape($secret)) }
        $channels = Get-OpsNotificationChannel
        ($channels | ForEach-Object { "$($_.Name):$($_.Kind)" }) | Should -Be @('ops-slack:Slack', 'ops-teams:Teams', 'oncall:PagerDuty')
        (Get-OpsNotificationChannel oncall).MinimumSeverity | Should -Be 'Warning'
        (Get-OpsNotificationChannel | Out-String -Width 80) | Should -Not -Match ([regex]::Escape($Secrets[0]))
        (Get-OpsContext sandbox).Sources.Setting | Should -Contain 'NotificationChannels.oncall'
    }
}

Describe 'Send-OpsNotification' {
    BeforeEach { Clear-Received }

    It 'delivers what, why, status and who to every channel of the context' {
        $results = Send-OpsNotification -Title 'Rolled back api-service to v1.1.0' -Reason 'v1.2.0 failed its smoke tests' -Status 'Synced and Healthy' -Severity Warning -Actor alice -DedupKey api-rollback
        $results.Channel | Should -Be @('ops-slack', 'ops-teams', 'oncall')
        $results.Delivered | Should -Be @($true, $true, $true)
        $results[2].DedupKey | Should -Be 'api-rollback'
        $received = Get-Received
        $received.channel | Should -Be @('ops-slack', 'ops-teams', 'pagerduty')
        $slack = $received[0].body.text
        $slack | Should -Match 'Rolled back api-service to v1.1.0'
        $slack | Should -Match 'Why: v1.2.0 failed its smoke tests'
        $slack | Should -Match 'Status: Synced and Healthy'
        $slack | Should -Match 'By: alice'
        ($received[1].body.attachments[0].content.body[1].facts | Where-Object title -eq 'By').value | Should -Be 'alice'
        $received[2].body.payload.custom_details.why | Should -Be 'v1.2.0 failed its smoke tests'
        $received[2].body.payload.severity | Should -Be 'warning'
        ($results | Out-String -Width 80) | Should -Match 'ops-slack'
        ($results | Out-String -Width 120) | Should -Match 'dedup api-rollback'
    }

    It 'skips a channel whose minimum severity is above the notice''s' {
        $results = Send-OpsNotification -Title 'Deployed v1.2.0' -Reason 'Release' -Status 'Healthy'
        $results.Channel | Should -Be @('ops-slack', 'ops-teams')
        (Get-Received).channel | Should -Not -Contain 'pagerduty'
    }

    It 'sends nothing with -WhatIf' {
        $results = Send-OpsNotification -Title 'Would notify' -Reason 'test' -Status 'none' -WhatIf
        $results | Should -BeNullOrEmpty
        @(Get-Received).Count | Should -Be 0
        (Get-OpsJournal -Command Send-OpsNotification | Select-Object -Last 1).Outcome | Should -Be 'WhatIf'
    }

    It 'journals the notice without any webhook URL or routing key' {
        Send-OpsNotification -Title 'Journal check' -Reason 'why' -Status 'ok' -Severity Critical | Out-Null
        $entry = Get-OpsJournal -Command Send-OpsNotification | Select-Object -Last 1
        $entry.Outcome | Should -Be 'Succeeded'
        $entry.Target | Should -Be 'ops-slack, ops-teams, oncall'
        $entry.Parameters['Title'] | Should -Be 'Journal check'
        $all = Get-OpsJournal | ConvertTo-Json -Depth 6
        foreach ($secret in $Secrets) { $all | Should -Not -Match ([regex]::Escape($secret)) }
        $all | Should -Not -Match '_webhooks/'
    }

    It 'gives a broken channel a non-terminating error with its id while the others are delivered' {
        $file = Join-Path $TestHome 'broken-webhook-url'
        New-Item -ItemType File $file | Out-Null
        [IO.File]::SetUnixFileMode($file, [IO.UnixFileMode]'UserRead, UserWrite')
        Set-Content $file ($Secrets[0] -replace '/ops-slack/', '/broken/')
        Add-OpsNotificationChannel -Name broken -Kind Slack -SecretFile $file | Out-Null
        try {
            $results = Send-OpsNotification -Title 'Partial' -Reason 'one channel is broken' -Status 'ok' -Channel ops-slack, broken, ops-teams -ErrorVariable failures -ErrorAction SilentlyContinue
            $results.Delivered | Should -Be @($true, $false, $true)
            $results[1].ErrorId | Should -Be 'NotificationRejected'
            $results[1].StatusCode | Should -Be 404
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'NotificationRejected,*'
            $failures[0].Exception.Message | Should -Match 'no_service'
            "$($failures[0].Exception) $($failures[0].Exception.InnerException)" | Should -Not -Match ([regex]::Escape(($Secrets[0] -split '/')[-1]))
            (Get-Received).channel | Should -Be @('ops-slack', 'ops-teams')
            { Send-OpsNotification -Title 'Stop' -Reason 'r' -Status 's' -Channel broken -ErrorAction Stop } | Should -Throw -ErrorId 'NotificationRejected*'
        }
        finally { Remove-OpsNotificationChannel broken -Confirm:$false }
        Get-OpsNotificationChannel broken -ErrorAction SilentlyContinue -ErrorVariable gone | Should -BeNullOrEmpty
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'NotificationChannelNotFound,*'
    }

    It 'refuses an unknown channel name with NotificationChannelNotFound' {
        { Send-OpsNotification -Title 't' -Reason 'r' -Status 's' -Channel nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'NotificationChannelNotFound*'
    }
}
