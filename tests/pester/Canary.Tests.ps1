# Canary with metric gates against the sandbox and its real Prometheus: a good image stepped through its weights is
# promoted, a ':broken' one is rolled back automatically, and with a fifth of the Kubernetes API's requests failing the
# verdicts are the same. The TrafficSplit it uses is served in v1alpha2..v1alpha4 and kubectl reads and applies it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -Speed 30 -SharedPostgres
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox
    $script:Kubeconfig = $Sandbox.KubeconfigPath
    $script:CacheDir = Join-Path $TestHome 'kube-cache'
    . (Join-Path $RepoRoot 'tools/Prerequisites.ps1')
    $script:KubectlProblem = Get-KubectlProblem

    # Requests that would change the cluster (create, replace, patch, delete), as the sandbox counted them.
    function script:Get-ChangeRequests {
        $ops = (Invoke-RestMethod "$script:Url/_sandbox/requests" -Headers $script:Control).operations
        ($ops.PSObject.Properties | Where-Object { $_.Name -match '^kubernetes:(POST|PUT|PATCH|DELETE) ' } | Measure-Object -Property Value -Sum).Sum ?? 0
    }
    function script:Reset-Counts { Invoke-RestMethod -Method Delete "$script:Url/_sandbox/requests" -Headers $script:Control | Out-Null }
    function script:Get-StableImage { (Get-KubeDeployment api-service).Images[0] }
    # One canary run, start to verdict, quick: two steps held 8 s each.
    function script:Invoke-CanaryRun([string] $Image) {
        # A broken canary never becomes ready: Start-Canary warns after -Timeout and leaves the verdict to the checks.
        $null = Start-Canary -Deployment api-service -Image $Image -Timeout 15s -Force -ErrorAction Stop -WarningAction SilentlyContinue
        Step-Canary -Deployment api-service -Steps 50, 100 -Interval 8s -FailureLimit 2 -Force -ErrorAction Stop -WarningAction SilentlyContinue
    }

    # Rates need two scrapes: wait until Prometheus has them.
    $null = Wait-Until { Invoke-PromQuery 'sum(rate(http_requests_total{service="api-service"}[1m])) > 0' } 60
}

AfterAll {
    Set-OpsSandboxFault -Reset -ErrorAction Ignore
    Stop-TestSandbox $script:TestHome
}

Describe 'Start-Canary' {
    It 'makes no change request with -WhatIf' {
        Reset-Counts
        Start-Canary -Deployment api-service -Image real-estate-ai/api-service:v1.2.0 -WhatIf | Should -BeNullOrEmpty
        Get-ChangeRequests | Should -Be 0
        Get-KubeDeployment api-service-canary -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-OpsJournal -Command Start-Canary | Select-Object -Last 1).Outcome | Should -Be 'WhatIf'
    }
}

Describe 'Step-Canary' {
    It 'promotes a good image: stable runs it, the canary is gone, the TrafficSplit sends all traffic to stable' {
        $started = Start-Canary -Deployment api-service -Image real-estate-ai/api-service:v1.2.0 -Force
        $started.Phase | Should -Be 'Started'
        $started.Weight | Should -Be 0
        $started.TrafficSplitVersion | Should -Be 'split.smi-spec.io/v1alpha4'
        @(Get-KubePod -Selector version=canary | Where-Object Status -eq Running).Count | Should -Be 1
        { Start-Canary -Deployment api-service -Image real-estate-ai/api-service:v1.2.1 -Force -ErrorAction Stop } | Should -Throw -ErrorId 'CanaryAlreadyExists*'

        $result = Step-Canary -Deployment api-service -Steps 50, 100 -Interval 8s -Force
        $result.Verdict | Should -Be 'Promoted'
        $result.ChecksPassed | Should -Be 2
        $result.ChecksFailed | Should -Be 0
        $result.CanarySuccessRate | Should -BeGreaterOrEqual 99
        $result.CanaryP95Ms | Should -BeGreaterThan 0
        Get-StableImage | Should -Be 'real-estate-ai/api-service:v1.2.0'
        Get-KubeDeployment api-service-canary -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $canary = Get-Canary -Deployment api-service
        $canary.Phase | Should -Be 'Promoted'
        $canary.Weight | Should -Be 0
        $canary.ChecksPassed | Should -Be 2
        $canary.Backends.Keys | Should -Be @('api-service-stable')
        $canary.Backends['api-service-stable'] | Should -Be 100
        $journal = @(Get-OpsJournal -Command Step-Canary)
        ($journal | Where-Object Action -like 'Set canary weight to 50%*').Outcome | Should -Be 'Succeeded'
        @($journal | Where-Object Action -like 'Canary check*').Count | Should -Be 2
        ($journal | Where-Object Action -eq 'Canary verdict: Promoted') | Should -Not -BeNullOrEmpty
    }

    It 'rolls a broken image back automatically; stable keeps its image' {
        $before = Get-StableImage
        $result = Invoke-CanaryRun 'real-estate-ai/api-service:broken'
        $result.Verdict | Should -Be 'RolledBack'
        $result.ChecksFailed | Should -Be 2
        $result.CanarySuccessRate | Should -BeLessThan 99
        $result.Weight | Should -Be 0
        Get-StableImage | Should -Be $before
        Get-KubeDeployment api-service-canary -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Canary -Deployment api-service).Phase | Should -Be 'RolledBack'
        (Get-OpsJournal -Command Step-Canary | Where-Object Action -eq 'Canary verdict: RolledBack').ErrorId | Should -Be 'CanaryRolledBack'
    }

    It 'reaches the same verdicts with 20% of the Kubernetes API''s requests failing' {
        try {
            $null = Set-OpsSandboxFault -Service kubernetes -ErrorRate 0.2
            (Invoke-CanaryRun 'real-estate-ai/api-service:v1.3.0').Verdict | Should -Be 'Promoted'
            Get-StableImage | Should -Be 'real-estate-ai/api-service:v1.3.0'
            (Invoke-CanaryRun 'real-estate-ai/api-service:broken').Verdict | Should -Be 'RolledBack'
            Get-StableImage | Should -Be 'real-estate-ai/api-service:v1.3.0'
        }
        finally { Set-OpsSandboxFault -Reset | Out-Null }
        Get-KubeDeployment api-service-canary -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-Canary' {
    It 'lists the canaries with one list request for Select-Object -First 1' {
        Reset-Counts
        $first = Get-Canary | Select-Object -First 1
        $first.Deployment | Should -Be 'api-service'
        $ops = (Invoke-RestMethod "$script:Url/_sandbox/requests" -Headers $script:Control).operations
        $ops.'kubernetes:GET trafficsplits' | Should -Be 1
        ($first | Out-String -Width 80) -split "`r?`n" | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        ($first | Out-String -Width 80) | Should -Match 'DEPLOYMENT\s+PHASE\s+WEIGHT'
    }

    It 'says CanaryNotFound for a deployment without one' {
        { Get-Canary -Deployment auth-service -ErrorAction Stop } | Should -Throw -ErrorId 'CanaryNotFound*'
    }
}

Describe 'TrafficSplit with kubectl' {
    BeforeEach { if ($KubectlProblem) { Set-ItResult -Skipped -Because $KubectlProblem } }

    It 'lists the TrafficSplits and applies a v1alpha2 manifest, read back in v1alpha3' {
        $out = Invoke-SandboxKubectl $Kubeconfig $CacheDir get trafficsplits -n real-estate-ai
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        ($out -join "`n") | Should -Match 'api-service'
        $manifest = Join-Path $TestHome 'split-v1alpha2.yaml'
        Set-Content $manifest @'
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata:
  name: kubectl-demo
  namespace: real-estate-ai
spec:
  service: kubectl-demo
  backends:
  - service: kubectl-demo-v1
    weight: 90
  - service: kubectl-demo-v2
    weight: 10
'@
        $out = Invoke-SandboxKubectl $Kubeconfig $CacheDir apply -f $manifest
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $json = (Invoke-SandboxKubectl $Kubeconfig $CacheDir get trafficsplits.v1alpha3.split.smi-spec.io kubectl-demo -n real-estate-ai -o json) -join "`n" | ConvertFrom-Json
        $json.apiVersion | Should -Be 'split.smi-spec.io/v1alpha3'
        $json.spec.backends[1].weight | Should -Be 10
        Set-Content $manifest ((Get-Content $manifest -Raw) -replace 'weight: 10', 'weight: -5')
        $out = Invoke-SandboxKubectl $Kubeconfig $CacheDir apply -f $manifest
        $LASTEXITCODE | Should -Not -Be 0
        ($out -join "`n") | Should -Match 'is invalid'
        $null = Invoke-SandboxKubectl $Kubeconfig $CacheDir delete trafficsplit kubectl-demo -n real-estate-ai
    }
}
