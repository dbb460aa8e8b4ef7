# Invoke-IncidentTriage on the sandbox: every step of each symptom reads its source (or says why it could not), a source that
# fails leaves the others going, -WhatIf and -NoAttach attach nothing, and the evidence goes to the incident as findings.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -SharedPostgres
}

AfterAll {
    $env:REALESTATEOPS_INCIDENT_ID = $null
    Stop-TestSandbox $script:TestHome
}

Describe 'Invoke-IncidentTriage' {
    It 'DatabaseConnection on a healthy database: the runbook''s steps in order, healthy, and no resolution made up' {
        $t = Invoke-IncidentTriage -Symptom DatabaseConnection -NoAttach
        $t.Evidence.Step | Should -Be @('InstanceStatus', 'PgIsReady', 'AppLogin', 'DbLogErrors', 'Connections', 'Network', 'RecentChanges')
        foreach ($step in 'InstanceStatus', 'PgIsReady', 'AppLogin', 'Connections', 'Network') {
            ($t.Evidence | Where-Object Step -eq $step).Status | Should -Be 'Ok' -Because ($t.Evidence | Where-Object Step -eq $step).Summary
        }
        ($t.Evidence | Where-Object Step -eq 'PgIsReady').Detail.Command | Should -Be @('sh', '-c', 'pg_isready -h $DB_HOST')
        $t.Resolution.Cause | Should -Be 'None'
        $t.IncidentId | Should -BeNullOrEmpty
        ($t | Out-String -Width 80) | Should -Match 'Cause\s+: None'
        ($t.Evidence | Out-String -Width 120) | Should -Match 'InstanceStatus\s+Ok\s+RDS'
    }

    It 'a source that cannot be reached is Unknown with its id, and the other steps still run' {
        $t = Invoke-IncidentTriage -Symptom LlmDegradation -NoAttach -LangfuseUrl 'http://127.0.0.1:9/' -Since 30m
        $t.Evidence.Step | Should -Be @('LlmConfig', 'LlmErrorLines', 'LangfuseMetrics', 'RecentChanges')
        $langfuse = $t.Evidence | Where-Object Step -eq 'LangfuseMetrics'
        $langfuse.Status | Should -Be 'Unknown'
        $langfuse.ErrorId | Should -BeLike 'Langfuse*'
        $config = $t.Evidence | Where-Object Step -eq 'LlmConfig'
        $config.Status | Should -Be 'Info'
        $config.Detail.Provider | Should -Not -BeNullOrEmpty
        $t.Gaps | Should -Contain ($t.Gaps | Where-Object { $_ -like 'LangfuseMetrics:*' })
    }

    It 'LlmDegradation and HighErrorRate read Langfuse and Prometheus when they are there' {
        $llm = Invoke-IncidentTriage -Symptom LlmDegradation -NoAttach
        ($llm.Evidence | Where-Object Step -eq 'LangfuseMetrics').Status | Should -BeIn 'Ok', 'Problem'
        $http = Invoke-IncidentTriage -Symptom HighErrorRate -NoAttach -Since 10m
        $http.Evidence.Step | Should -Be @('ErrorRate', 'ErrorLines', 'Pressure', 'RecentChanges')
        ($http.Evidence | Where-Object Step -eq 'ErrorRate').Status | Should -BeIn 'Ok', 'Problem'
    }

    It 'attaches each step and the resolution to the current incident as findings; -WhatIf attaches nothing' {
        $incident = New-Incident -Severity SEV3 -Title 'triage test' -Component database -NoUse -Confirm:$false
        $env:REALESTATEOPS_INCIDENT_ID = $incident.Id
        try {
            $dry = Invoke-IncidentTriage -Symptom DatabaseConnection -WhatIf
            $dry.NotesAttached | Should -Be 0
            (Get-Incident -Id $incident.Id).NoteCount | Should -Be 0
            $t = Invoke-IncidentTriage -Symptom DatabaseConnection -Confirm:$false
            $t.IncidentId | Should -Be $incident.Id
            $t.NotesAttached | Should -Be 8
            (Get-Incident -Id $incident.Id).NoteCount | Should -Be 8
            $entry = Get-OpsJournal -Within 10m | Where-Object Command -eq 'Invoke-IncidentTriage' | Select-Object -Last 1
            $entry.Outcome | Should -Be 'Succeeded'
            $entry.IncidentId | Should -Be $incident.Id
        } finally { $env:REALESTATEOPS_INCIDENT_ID = $null }
    }
}
