# Conformance: the sandbox's Argo CD driven as the argocd CLI drives argocd-server (its REST API through grpc-gateway:
# curl, each call under Invoke-Client), a release pushed with real git to the repository the application follows, and
# kubectl seeing what the sync applied. The Deployment runbook's bad-release path: a broken image synced automatically
# and Degraded, rollback refused while auto-sync is on, auto-sync turned off, rollback to the previous history entry.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-TestPostgres
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 100   # a Deployment's ten-minute progress deadline passes in six seconds
    $script:Info = Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json') | ConvertFrom-Json
    $script:Url = $Info.argocd.url.TrimEnd('/')
    # curl reads the token from a 0600 header file: the token is never on a command line.
    $script:Headers = Join-Path $TestHome 'argocd.headers'
    New-Item -ItemType File $Headers | Out-Null
    [IO.File]::SetUnixFileMode($Headers, [IO.UnixFileMode]'UserRead, UserWrite')
    Set-Content $Headers "Authorization: Bearer $((Get-Content $Info.argocd.tokenFile -First 1).Trim())"

    # One call with curl, as the argocd CLI makes it: status code and parsed JSON body.
    function script:Invoke-Argo([string] $Path, [string] $Method = 'GET', [string] $Body, [switch] $NoAuth) {
        $arguments = @('-s', '--max-time', '30', '-o', (Join-Path $TestHome 'body.json'), '-w', '%{http_code}', '-X', $Method)
        if (-not $NoAuth) { $arguments += @('-H', "@$Headers") }
        if ($Body) { $arguments += @('-H', 'Content-Type: application/json', '--data-binary', $Body) }
        $code = Invoke-Client curl @arguments "$Url$Path"
        [pscustomobject]@{ Status = [int]"$code"; Json = Get-Content -Raw (Join-Path $TestHome 'body.json') | ConvertFrom-Json }
    }

    # git with no system or user configuration of the operator's.
    $env:GIT_CONFIG_NOSYSTEM = '1'
    $env:GIT_CONFIG_GLOBAL = '/dev/null'
    $env:GIT_AUTHOR_NAME = $env:GIT_COMMITTER_NAME = 'Conformance Test'
    $env:GIT_AUTHOR_EMAIL = $env:GIT_COMMITTER_EMAIL = 'conformance@example.com'
    function script:Invoke-Git {
        $out = Invoke-Client git @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "git $($args -join ' ') failed ($LASTEXITCODE): $($out -join "`n")" }
        $out | ForEach-Object { "$_" }
    }

    function script:kc {
        $env:KUBECONFIG = $script:Sandbox.KubeconfigPath
        try { Invoke-Client kubectl --cache-dir (Join-Path $script:TestHome 'kube-cache') @args 2>&1 | ForEach-Object { "$_" } } finally { $env:KUBECONFIG = $null }
    }

    function script:Wait-Argo([scriptblock] $Condition, [int] $Seconds = 90) {
        # GET with refresh (as `argocd app get --refresh`) until the condition holds for the application.
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ($true) {
            $app = (Invoke-Argo '/api/v1/applications/real-estate-ai?refresh=normal').Json
            if (& $Condition $app) { return $app }
            if ([DateTime]::UtcNow -gt $deadline) { throw "Condition not met after $Seconds s: sync $($app.status.sync.status), health $($app.status.health.status), operation $($app.status.operationState.phase)" }
            Start-Sleep -Milliseconds 500
        }
    }

    . (Join-Path $RepoRoot 'tools/Prerequisites.ps1')
    $script:KubectlProblem = Get-KubectlProblem
    if ($KubectlProblem) { Write-Host "Skipping the kubectl checks: $KubectlProblem" }
}

AfterAll {
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    foreach ($v in 'GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_GLOBAL', 'GIT_AUTHOR_NAME', 'GIT_COMMITTER_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_EMAIL', 'REALESTATEOPS_SANDBOX_PG') { Remove-Item "env:$v" -ErrorAction Ignore }
    Remove-IsolatedHome $TestHome
}

Describe 'The sandbox publishes its Argo CD' {
    It 'names the API, the 0600 token file, the repository and the application in its info file' {
        $Info.services | Should -Contain 'argocd'
        $Info.argocd.application | Should -Be 'real-estate-ai'
        Test-Path (Join-Path $Info.argocd.repository 'HEAD') | Should -BeTrue
        [IO.File]::GetUnixFileMode($Info.argocd.tokenFile) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        (Get-Content -Raw (Join-Path $Sandbox.StateFolder 'sandbox-info.json')) | Should -Not -Match ([regex]::Escape((Get-Content $Info.argocd.tokenFile -First 1).Trim()))
    }

    It 'answers version and user info, and 401 code 16 without the token' {
        (Invoke-Argo '/api/version').Json.Version | Should -Match '^v3\.'
        (Invoke-Argo '/api/v1/session/userinfo').Json.loggedIn | Should -BeTrue
        $r = Invoke-Argo '/api/v1/applications' -NoAuth
        $r.Status | Should -Be 401
        $r.Json.code | Should -Be 16
    }

    It 'shows real-estate-ai Synced and Healthy at v1.1.0 with its history and the tag of each entry' {
        $r = Invoke-Argo '/api/v1/applications?projects=default'
        $r.Status | Should -Be 200
        $app = @($r.Json.items) | Where-Object { $_.metadata.name -eq 'real-estate-ai' }
        $app.status.sync.status | Should -Be 'Synced'
        $app.status.health.status | Should -Be 'Healthy'
        $app.spec.source.repoURL | Should -Be $Info.argocd.repository
        @($app.status.history).id | Should -Be @(0, 1)
        $tags = foreach ($h in $app.status.history) { (Invoke-Argo "/api/v1/applications/real-estate-ai/revisions/$($h.revision)/metadata").Json.tags }
        $tags | Should -Be @('v1.0.0', 'v1.1.0')
    }

    It 'answers 403 code 7 "permission denied" for an application that does not exist' {
        $r = Invoke-Argo '/api/v1/applications/no-such-app'
        $r.Status | Should -Be 403
        $r.Json.code | Should -Be 7
        $r.Json.message | Should -Be 'permission denied'
    }
}

Describe 'A bad release and its rollback, with git, curl and kubectl' {
    It 'syncs a pushed release automatically and reports Degraded when its pods never become ready' {
        $work = Join-Path $TestHome 'platform-manifests'
        Invoke-Git clone --quiet $Info.argocd.repository $work | Out-Null
        $file = Join-Path $work 'k8s/api-service-deployment.json'
        $manifest = Get-Content -Raw $file | ConvertFrom-Json -AsHashtable
        $manifest.spec.template.spec.containers[0].image = 'real-estate-ai/api-service:broken'
        $manifest | ConvertTo-Json -Depth 30 | Set-Content $file
        Invoke-Git -C $work commit --quiet -am 'Release v1.2.0' | Out-Null
        Invoke-Git -C $work tag -a v1.2.0 -m 'Release v1.2.0' | Out-Null
        Invoke-Git -C $work push --quiet origin main v1.2.0 | Out-Null
        $script:Broken = (Invoke-Git -C $work rev-parse HEAD | Select-Object -First 1).Trim()

        $app = Wait-Argo { param($a) @($a.status.history).Count -eq 3 -and $a.status.health.status -eq 'Degraded' }
        $app.status.history[2].revision | Should -Be $Broken
        $app.status.history[2].initiatedBy.automated | Should -BeTrue
        $app.status.sync.status | Should -Be 'Synced'
        (Invoke-Argo "/api/v1/applications/real-estate-ai/revisions/$Broken/metadata").Json.tags | Should -Be 'v1.2.0'
        $tree = (Invoke-Argo '/api/v1/applications/real-estate-ai/resource-tree').Json
        @($tree.nodes | Where-Object { $_.kind -eq 'Pod' -and $_.health.status -eq 'Degraded' -and $_.images -contains 'real-estate-ai/api-service:broken' }).Count | Should -BeGreaterThan 0
        if (-not $KubectlProblem) {
            kc get deploy api-service -n real-estate-ai -o 'jsonpath={.spec.template.spec.containers[0].image}' | Should -Be 'real-estate-ai/api-service:broken'
        }
    }

    It 'refuses a rollback while auto-sync is on, exactly as argocd-server does' {
        $r = Invoke-Argo '/api/v1/applications/real-estate-ai/rollback' -Method POST -Body '{"name":"real-estate-ai","id":1}'
        $r.Status | Should -Be 400
        $r.Json.code | Should -Be 9
        $r.Json.message | Should -Be 'rollback cannot be initiated when auto-sync is enabled'
    }

    It 'turns auto-sync off with a patch and rolls back to the previous history entry' {
        $patch = @{ name = 'real-estate-ai'; patchType = 'merge'; patch = '{"spec":{"syncPolicy":{"automated":null}}}' } | ConvertTo-Json -Compress
        $r = Invoke-Argo '/api/v1/applications/real-estate-ai' -Method PATCH -Body $patch
        $r.Status | Should -Be 200
        $r.Json.spec.syncPolicy.automated | Should -BeNullOrEmpty
        $r = Invoke-Argo '/api/v1/applications/real-estate-ai/rollback' -Method POST -Body '{"name":"real-estate-ai","id":"7"}'
        ($r.Status, $r.Json.code, $r.Json.message) | Should -Be @(400, 3, 'application real-estate-ai does not have deployment with id 7')

        $r = Invoke-Argo '/api/v1/applications/real-estate-ai/rollback' -Method POST -Body '{"name":"real-estate-ai","id":1}'
        $r.Status | Should -Be 200
        $r.Json.operation.sync.revision | Should -Not -Be $Broken
        $app = Wait-Argo { param($a) $a.status.operationState.phase -eq 'Succeeded' -and @($a.status.history).Count -eq 4 -and $a.status.health.status -eq 'Healthy' }
        $app.status.history[3].revision | Should -Be $app.status.history[1].revision
        $app.status.sync.status | Should -Be 'OutOfSync'   # main still names the broken release, as in Argo CD after a rollback
        if (-not $KubectlProblem) {
            kc get deploy api-service -n real-estate-ai -o 'jsonpath={.spec.template.spec.containers[0].image}' | Should -Be 'real-estate-ai/api-service:1.8.2'
        }
    }
}
