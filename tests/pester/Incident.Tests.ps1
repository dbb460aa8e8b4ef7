# Incidents on the sandbox's own incident store (a PostgreSQL server of its own): two operators writing notes at once lose
# nothing; SEV2 pages PagerDuty at the sandbox sink with the incident id as dedup key (trigger, acknowledge, resolve); journal
# entries made while an incident is current carry its id; the post-mortem lists them with who and when, and is written 0600.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
    $env:REALESTATEOPS_INCIDENT_ID = $null
    $script:Info = Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json') | ConvertFrom-Json
    $script:Control = Get-SandboxControlHeader $Sandbox
    $script:Work = Join-Path $TestHome 'work'
    New-Item -ItemType Directory $Work | Out-Null
    function script:Get-Received { $all = Invoke-RestMethod -Uri "$($Sandbox.Url)_sandbox/notifications" -Headers $Control; $all }
    function script:Clear-Received { Invoke-RestMethod -Method Delete -Uri "$($Sandbox.Url)_sandbox/notifications" -Headers $Control | Out-Null }
}

AfterAll {
    Use-Incident -Clear -Confirm:$false -ErrorAction Ignore
    Stop-TestSandbox $script:TestHome
}

Describe 'The sandbox publishes its incident store' {
    It 'on a server of its own, role ops, the password only in a 0600 pass file the context names' {
        $Info.incidents.user | Should -Not -BeNullOrEmpty
        $Info.incidents.passFile | Should -Exist
        [IO.File]::GetUnixFileMode($Info.incidents.passFile) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        if ($Info.database.ownServer) {
            $Info.incidents.ownServer | Should -BeTrue
            $Info.incidents.port | Should -Not -Be $Info.database.port
            $Info.incidents.user | Should -Be 'ops'
        }
        $context = Get-OpsContext sandbox
        $context.IncidentDbHost | Should -Be $Info.incidents.host
        $context.IncidentDbPort | Should -Be $Info.incidents.port
        $context.IncidentDbPassFile | Should -Be $Info.incidents.passFile
        $password = ((Get-Content $Info.incidents.passFile -First 1) -split ':')[-1]
        (Get-Content -Raw (Join-Path $env:REALESTATEOPS_CONFIG_HOME 'contexts/sandbox.json')) | Should -Not -Match ([regex]::Escape($password))
    }
}

Describe 'psql reaches the incident store with the published pass file' {
    It 'reads the ops schema the module migrated' {
        Get-Incident -All | Select-Object -First 1 | Out-Null   # the first call migrates
        $env:PGPASSFILE = $Info.incidents.passFile
        try {
            $version = Invoke-Client psql -X -w -A -t -h $Info.incidents.host -p $Info.incidents.port -U $Info.incidents.user -d $Info.incidents.name -c 'select max(version) from ops.schema_version'
            $LASTEXITCODE | Should -Be 0
            [int]"$version".Trim() | Should -BeGreaterOrEqual 1
        }
        finally { Remove-Item env:PGPASSFILE -ErrorAction Ignore }
    }
}

Describe 'New-Incident and Get-Incident' {
    It 'opens an incident with a readable id, makes it current and lists it as open with its clocks' {
        $incident = New-Incident -Severity SEV3 -Title 'Slow property search' -Component api-service -Impact 'Search takes 5 s'
        $incident.Id | Should -Match '^INC-\d{8}-\d{4}$'
        $incident.Status | Should -Be 'Investigating'
        $incident.ResponseDue | Should -Be $incident.OpenedAt.AddHours(2)
        $incident.UpdateDue | Should -Be $incident.OpenedAt.AddDays(1)
        $incident.OverdueResponse | Should -BeFalse
        (Get-Content (Join-Path $env:REALESTATEOPS_STATE_HOME 'current-incident')).Trim() | Should -Be $incident.Id
        [IO.File]::GetUnixFileMode((Join-Path $env:REALESTATEOPS_STATE_HOME 'current-incident')) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        (Get-Incident).Id | Should -Contain $incident.Id
        (Get-Incident -Id $incident.Id).Title | Should -Be 'Slow property search'
        $table = Get-Incident -Id $incident.Id | Out-String -Width 80
        $table | Should -Match ([regex]::Escape($incident.Id))
        $table | Should -Match 'SEV3'
        (Get-Incident -Id $incident.Id | Out-String -Width 120) | Should -Match 'Slow property search'
    }

    It 'completes the ids of open incidents' {
        $open = New-Incident -Severity SEV4 -Title 'Completion check' -Component web -NoUse
        $completions = (TabExpansion2 -inputScript "Get-Incident -Id $($open.Id.Substring(0, 12))" -cursorColumn (17 + 12)).CompletionMatches.CompletionText
        $completions | Should -Contain $open.Id
    }

    It 'says IncidentNotFound for an id that does not exist' {
        Get-Incident -Id 'INC-19990101-0001' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'IncidentNotFound*'
    }

    It 'opens nothing with -WhatIf' {
        $before = @(Get-Incident -All).Count
        New-Incident -Severity SEV4 -Title 'Would open' -Component web -WhatIf | Should -BeNullOrEmpty
        @(Get-Incident -All).Count | Should -Be $before
    }
}

Describe 'Two operators writing notes at once' {
    It 'keeps all 100 notes of two jobs adding 50 each' {
        $incident = New-Incident -Severity SEV3 -Title 'Concurrent notes' -Component database -NoUse
        $jobs = foreach ($writer in 'alpha', 'beta') {
            Start-Job -ScriptBlock {
                param($Manifest, $Id, $Writer)
                Import-Module $Manifest
                foreach ($i in 1..50) { Add-IncidentNote -Id $Id -Text "$Writer note $i" -Kind Finding -ErrorAction Stop | Out-Null }
                'done'
            } -ArgumentList $ModuleManifest, $incident.Id, $writer
        }
        $results = $jobs | Wait-Job -Timeout 600 | Receive-Job
        $jobs | Remove-Job -Force
        $results | Should -Be @('done', 'done')
        $after = Get-Incident -Id $incident.Id
        $after.NoteCount | Should -Be 100
        $after.AcknowledgedAt | Should -Not -BeNullOrEmpty
    }
}

Describe 'Paging SEV1 and SEV2 through PagerDuty' {
    BeforeEach { Clear-Received }

    It 'triggers on a SEV2, acknowledges when it leaves Investigating, resolves on close; dedup key = the id' {
        $incident = New-Incident -Severity SEV2 -Title 'API 500s' -Component api-service -NoUse
        $trigger = @(Get-Received | Where-Object channel -eq 'pagerduty')
        $trigger.Count | Should -Be 1
        $trigger[0].body.event_action | Should -Be 'trigger'
        $trigger[0].body.dedup_key | Should -Be $incident.Id
        $trigger[0].body.payload.summary | Should -Match ([regex]::Escape($incident.Id))

        Clear-Received
        Set-Incident -Id $incident.Id -Status Identified | Out-Null
        $ack = @(Get-Received | Where-Object channel -eq 'pagerduty')
        $ack.body.event_action | Should -Be 'acknowledge'
        $ack.body.dedup_key | Should -Be $incident.Id

        Clear-Received
        Close-Incident -Id $incident.Id -Resolution 'Rolled back api-service' -Confirm:$false | Select-Object -ExpandProperty Status | Should -Be 'Closed'
        $resolve = @(Get-Received | Where-Object channel -eq 'pagerduty')
        $resolve.body.event_action | Should -Be 'resolve'
        $resolve.body.dedup_key | Should -Be $incident.Id
    }

    It 'sends a stakeholder update with -Notify to the channel named, and restarts the update clock' {
        $incident = New-Incident -Severity SEV3 -Title 'Search degraded' -Component api-service -NoUse
        $note = Add-IncidentNote -Id $incident.Id -Text 'Fix deploying, ETA 15 minutes' -Kind StakeholderUpdate -Notify -NotifyChannel ops-slack
        $note.Kind | Should -Be 'StakeholderUpdate'
        $slack = @(Get-Received | Where-Object channel -eq 'ops-slack')
        $slack.Count | Should -Be 1
        $slack[0].body.text | Should -Match 'Fix deploying, ETA 15 minutes'
        $slack[0].body.text | Should -Match ([regex]::Escape($incident.Id))
        (Get-Incident -Id $incident.Id).LastUpdateAt | Should -Be $note.At
    }

    It 'does not page a SEV3, and pages it once it is escalated to SEV1' {
        $incident = New-Incident -Severity SEV3 -Title 'Listing images slow' -Component assets -NoUse
        @(Get-Received | Where-Object channel -eq 'pagerduty').Count | Should -Be 0
        Set-Incident -Id $incident.Id -Severity SEV1 | Select-Object -ExpandProperty Severity | Should -Be 'SEV1'
        $page = @(Get-Received | Where-Object channel -eq 'pagerduty')
        $page.body.event_action | Should -Be 'trigger'
        $page.body.payload.severity | Should -Be 'critical'
    }
}

Describe 'Set-Incident and Close-Incident' {
    It 'records each change as a note, refuses to close an unresolved incident, and takes no change once closed' {
        $incident = New-Incident -Severity SEV4 -Title 'Typo on the pricing page' -Component web -NoUse
        $set = Set-Incident -Id $incident.Id -Commander alice -Status Mitigated
        $set.Commander | Should -Be 'alice'
        $set.NoteCount | Should -Be 2
        Close-Incident -Id $incident.Id -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'IncidentNotResolved*'
        Set-Incident -Id $incident.Id -Status Resolved | Select-Object -ExpandProperty ResolvedAt | Should -Not -BeNullOrEmpty
        (Close-Incident -Id $incident.Id -Confirm:$false).Status | Should -Be 'Closed'
        Add-IncidentNote -Id $incident.Id -Text 'late' -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'IncidentClosed*'
    }
}

Describe 'The journal and the post-mortem' {
    It 'stamps entries with the current incident and lists them, with who and when, in a 0600 post-mortem' {
        $incident = New-Incident -Severity SEV2 -Title 'Database connections exhausted' -Component database -Impact 'API errors for 10 minutes'
        Add-IncidentNote -Text 'max_connections reached' -Kind Finding | Out-Null
        Add-IncidentNote -Text 'Customers informed' -Kind StakeholderUpdate | Out-Null
        Set-OpsContext -Name "incident-scratch" -Description 'made during the incident' | Out-Null
        $entries = Get-OpsJournal | Where-Object IncidentId -eq $incident.Id
        $entries.Command | Should -Contain 'Add-IncidentNote'
        $entries.Command | Should -Contain 'Set-OpsContext'
        (Close-Incident -Resolution 'Raised max_connections' -Confirm:$false).Status | Should -Be 'Closed'
        Test-Path (Join-Path $env:REALESTATEOPS_STATE_HOME 'current-incident') | Should -BeFalse

        $path = Join-Path $Work "pm-$($incident.Id).md"
        $report = Export-PostMortem -Id $incident.Id -Path $path
        $report.Path | Should -Be $path
        $report.Due | Should -Be $report.WindowEnd.AddHours(48)
        [IO.File]::GetUnixFileMode($path) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $md = Get-Content -Raw $path
        $md | Should -Match '## Timeline'
        $md | Should -Match 'API errors for 10 minutes'
        $md | Should -Match 'max_connections reached'
        $md | Should -Match 'Set-OpsContext'
        $md | Should -Match ([regex]::Escape("$([Environment]::UserName)@"))
        $setEntry = $entries | Where-Object Command -eq 'Set-OpsContext' | Select-Object -First 1
        if ($setEntry.CorrelationId) { $md | Should -Match ([regex]::Escape($setEntry.CorrelationId)) }
        foreach ($section in 'Root cause', 'Contributing factors', 'Preventive measures', 'Runbook updates') { $md | Should -Match "## $section" }
        $md | Should -Match '## Alerts that fired'

        Export-PostMortem -Id $incident.Id -Path $path -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PostMortemFileExists*'
        (Export-PostMortem -Id $incident.Id -Path $path -Overwrite).Path | Should -Be $path
        Remove-OpsContext -Name 'incident-scratch' -Confirm:$false -ErrorAction Ignore
    }
}
