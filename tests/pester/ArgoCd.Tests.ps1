# The Argo CD cmdlets on the sandbox's argocd-server API (over its real git repository), on the sandbox context that
# Start-OpsSandbox writes: the application Synced and Healthy with its tagged history, lists that stream, -WhatIf that
# sends no change, and the Deployment runbook's rollback: a broken release pushed to git is synced automatically and
# degrades; Undo-ArgoApplication is refused while automated sync is on (nothing changed), then done with -DisableAutoSync -Wait.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -Speed 300
    $script:Context = Get-OpsContext sandbox
    $script:Info = Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json') | ConvertFrom-Json
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox
    $script:App = $Info.argocd.application

    function script:Get-Count([string] $Operation) {
        $n = (Invoke-RestMethod "$script:Url/_sandbox/requests" -Headers $script:Control).operations."argocd:$Operation"
        if ($n) { [long]$n } else { 0L }
    }
    function script:Reset-Counts { Invoke-RestMethod -Method Delete "$script:Url/_sandbox/requests" -Headers $script:Control | Out-Null }
    function script:Get-ChangeRequests { (Get-Count 'Sync') + (Get-Count 'Rollback') + (Get-Count 'PatchApplication') + (Get-Count 'UpdateApplication') + (Get-Count 'TerminateOperation') }

    # git as a release pipeline runs it: no system or user configuration of this machine, an author of its own.
    function script:Invoke-Git([string] $Dir) {
        $saved = @{}
        $environment = @{
            GIT_CONFIG_NOSYSTEM = '1'; GIT_CONFIG_GLOBAL = '/dev/null'; GIT_TERMINAL_PROMPT = '0'
            GIT_AUTHOR_NAME = 'Release Bot'; GIT_AUTHOR_EMAIL = 'release@example.com'; GIT_COMMITTER_NAME = 'Release Bot'; GIT_COMMITTER_EMAIL = 'release@example.com'
        }
        foreach ($k in $environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $environment[$k]) }
        try {
            $out = Invoke-Client git -C $Dir @args 2>&1
            if ($LASTEXITCODE -ne 0) { throw "git $($args -join ' ') failed: $($out -join "`n")" }
            $out | ForEach-Object { "$_" }
        }
        finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
    }

    # A release as the team pushes one: clone the published repository, change api-service's image, commit, tag, push.
    function script:Push-Release([string] $Tag, [string] $Image) {
        $scratch = Join-Path $TestHome "release-$Tag"
        Invoke-Git $TestHome clone --quiet $Info.argocd.repository $scratch | Out-Null
        $file = Join-Path $scratch 'k8s/api-service-deployment.json'
        $manifest = Get-Content -Raw $file | ConvertFrom-Json -Depth 50
        $manifest.spec.template.spec.containers[0].image = $Image
        $manifest | ConvertTo-Json -Depth 50 | Set-Content $file
        Invoke-Git $scratch commit --quiet -am "Release $Tag" | Out-Null
        Invoke-Git $scratch tag -a $Tag -m "Release $Tag" | Out-Null
        Invoke-Git $scratch push --quiet origin main $Tag | Out-Null
        (Invoke-Git $scratch rev-parse HEAD | Select-Object -First 1).Trim()
    }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'The sandbox context names its Argo CD' {
    It 'has the server URL and a 0600 token file, and the token is in no info or context file' {
        $Context.ServiceUrls['argocd'] | Should -Be $Url
        $Context.ArgoCdTokenFile | Should -Be $Info.argocd.tokenFile
        [IO.File]::GetUnixFileMode($Context.ArgoCdTokenFile) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $token = (Get-Content $Context.ArgoCdTokenFile -First 1).Trim()
        (Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json')).Contains($token) | Should -BeFalse
        (Get-OpsContext sandbox | ConvertTo-Json -Depth 5).Contains($token) | Should -BeFalse
    }
}

Describe 'Reading applications' {
    It 'shows the platform Synced and Healthy with automated sync on' {
        $a = Get-ArgoApplication $App
        $a.SyncStatus | Should -Be 'Synced'
        $a.Health | Should -Be 'Healthy'
        $a.AutoSync | Should -BeTrue
        $a.DestinationNamespace | Should -Be 'real-estate-ai'
        $a.Images | Should -Not -BeNullOrEmpty
        $a.UnhealthyResources | Should -BeNullOrEmpty
    }

    It 'Get-ArgoApplication | Select-Object -First 1 makes exactly one list request' {
        Reset-Counts
        $first = Get-ArgoApplication | Select-Object -First 1
        $first.Name | Should -Be $App
        Get-Count 'ListApplications' | Should -Be 1
        Get-Count 'GetApplication' | Should -Be 0
    }

    It 'shows the history newest first with the git tag of each deployment' {
        $history = @(Get-ArgoApplication $App | Get-ArgoHistory)
        $history.Count | Should -BeGreaterOrEqual 2
        $history[0].IsCurrent | Should -BeTrue
        $history[0].Tag | Should -Be 'v1.1.0'
        $history[1].Tag | Should -Be 'v1.0.0'
        $history[0].Id | Should -BeGreaterThan $history[1].Id
        @(Get-ArgoHistory $App -Last 1).Count | Should -Be 1
    }

    It 'says "not found or not permitted" for an application Argo CD answers permission denied for' {
        Get-ArgoApplication no-such-app -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArgoApplicationNotFound*'
        $err[0].Exception.Message | Should -BeLike "*'no-such-app' not found or not permitted*"
    }

    It 'refuses a wrong token with ArgoUnauthenticated and never shows the token' {
        $bad = Join-Path $TestHome 'bad-token'
        Set-Content $bad 'not-the-token'
        [IO.File]::SetUnixFileMode($bad, [IO.UnixFileMode]'UserRead, UserWrite')
        $thrown = { Get-ArgoApplication $App -TokenFile $bad } | Should -Throw -ErrorId 'ArgoUnauthenticated*' -PassThru
        $thrown.Exception.Message | Should -Match 'refused the token'
        $thrown.Exception.Message | Should -Not -Match 'not-the-token'
    }

    It 'reads at <_> columns' -ForEach 80, 120 {
        $width = $_
        foreach ($o in @((Get-ArgoApplication $App), @(Get-ArgoHistory $App))) {
            $lines = @(($o | Out-String -Width $width) -split "`r?`n" | ForEach-Object TrimEnd | Where-Object { $_ })
            $lines[0] | Should -Match '^(NAME|\s*ID)\s'
            foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual $width -Because "'$line' must fit $width columns" }
        }
    }
}

Describe '-WhatIf sends no change' {
    It '<Code> makes no change request' -ForEach @(
        @{ Code = { Sync-ArgoApplication $App -WhatIf } }
        @{ Code = { Sync-ArgoApplication $App -Prune -WhatIf } }
        @{ Code = { Undo-ArgoApplication $App -DisableAutoSync -Wait -WhatIf } }
        @{ Code = { Stop-ArgoOperation $App -WhatIf } }
        @{ Code = { Set-ArgoApplication $App -AutoSync $false -WhatIf } }
    ) {
        Reset-Counts
        & $Code
        Get-ChangeRequests | Should -Be 0
        (Get-ArgoApplication $App).AutoSync | Should -BeTrue
    }
}

Describe 'A broken release rolled back (the Deployment runbook)' {
    BeforeAll {
        $script:Good = (Get-ArgoHistory $App -Last 1).Revision
        $script:Broken = Push-Release 'v1.2.0' 'real-estate-ai/api-service:broken'
    }

    It 'is synced automatically and Wait-ArgoApplication fails fast with ArgoApplicationDegraded' {
        Wait-Until { (Get-ArgoApplication $App).DeployedRevision -eq $Broken } -Seconds 90 | Should -BeTrue -Because 'automated sync deploys the pushed release'
        Wait-ArgoApplication $App -Timeout 3m -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArgoApplicationDegraded*'
        $a = Get-ArgoApplication $App
        $a.Health | Should -Be 'Degraded'
        $a.UnhealthyResources.Name | Should -Contain 'api-service'
        (Get-ArgoHistory $App -Last 1).Tag | Should -Be 'v1.2.0'
    }

    It 'Undo-ArgoApplication is refused with ArgoAutoSyncEnabled while automated sync is on, and nothing changes' {
        Reset-Counts
        Undo-ArgoApplication $App -Force -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArgoAutoSyncEnabled*'
        $err[0].Exception.Message | Should -BeLike '*rollback cannot be initiated when auto-sync is enabled; use -DisableAutoSync*'
        Get-ChangeRequests | Should -Be 0
        $a = Get-ArgoApplication $App
        $a.AutoSync | Should -BeTrue
        $a.DeployedRevision | Should -Be $Broken
    }

    It '-Notify without a reason is refused before any change' {
        Reset-Counts
        { Undo-ArgoApplication $App -DisableAutoSync -Force -Notify -ErrorAction Stop } | Should -Throw -ErrorId 'NotificationReasonMissing*'
        Get-ChangeRequests | Should -Be 0
    }

    It 'with -DisableAutoSync -Wait turns automated sync off (saying so), rolls back to v1.1.0, ends Healthy and tells the stakeholders' {
        Reset-Counts
        Invoke-RestMethod -Method Delete -Uri "$script:Url/_sandbox/notifications" -Headers $script:Control | Out-Null
        $r = Undo-ArgoApplication $App -DisableAutoSync -Wait -Timeout 5m -Force -WarningVariable warned -WarningAction SilentlyContinue `
            -Notify -NotifyReason 'v1.2.0 answers 503 on every request' -NotifyChannel ops-slack
        $r.FromTag | Should -Be 'v1.2.0'
        $r.ToTag | Should -Be 'v1.1.0'
        $r.ToRevision | Should -Be $Good
        $r.AutoSyncDisabled | Should -BeTrue
        $r.Health | Should -Be 'Healthy'
        $r.Waited | Should -BeTrue
        $r.DeploymentCheck.Namespace | Should -Be 'real-estate-ai'
        ($warned -join "`n") | Should -Match 'Set-ArgoApplication real-estate-ai -AutoSync \$true'
        Get-Count 'PatchApplication' | Should -Be 1
        Get-Count 'Rollback' | Should -Be 1

        $a = Get-ArgoApplication $App
        $a.AutoSync | Should -BeFalse
        $a.Health | Should -Be 'Healthy'
        $a.DeployedRevision | Should -Be $Good
        (Get-ArgoHistory $App -Last 1).Tag | Should -Be 'v1.1.0'

        $journal = @(Get-OpsJournal | Where-Object Command -eq 'Undo-ArgoApplication' | Where-Object Outcome -eq 'Succeeded')
        $journal.Action | Should -Contain 'Turn automated sync off (a rollback needs it off)'
        ($journal.Action | Where-Object { $_ -like 'Roll back from history id*v1.2.0*to history id*v1.1.0*' }) | Should -Not -BeNullOrEmpty
        (Get-OpsJournal | ConvertTo-Json -Depth 5).Contains((Get-Content $Context.ArgoCdTokenFile -First 1).Trim()) | Should -BeFalse

        # The runbook's last step: the notice on ops-slack says what was rolled back, why, and how it stands.
        $received = @(Invoke-RestMethod -Uri "$script:Url/_sandbox/notifications" -Headers $script:Control)
        $received.Count | Should -Be 1
        $received[0].channel | Should -Be 'ops-slack'
        $text = $received[0].body | ConvertTo-Json -Depth 10
        $text | Should -Match 'Argo CD rollback of real-estate-ai to v1\.1\.0'
        $text | Should -Match 'v1\.2\.0 answers 503 on every request'
        $text | Should -Match 'Health Healthy'
        (Get-OpsJournal | Where-Object Command -eq 'Undo-ArgoApplication' | Where-Object Action -like 'Send * notice*').Outcome | Should -Be 'Succeeded'
        (Get-OpsJournal | ConvertTo-Json -Depth 5).Contains((Get-Content $Info.notifications.slackWebhookUrlFile -First 1).Trim()) | Should -BeFalse
    }
}
