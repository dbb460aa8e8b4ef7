# Set-OpsContext -EksCluster writes a kubeconfig entry like 'aws eks update-kubeconfig', and the Kubernetes cmdlets reach the
# cluster through it with EKS tokens the module mints itself: no aws CLI on PATH, an isolated home.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -Speed 50
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox
    $script:Arn = 'arn:aws:eks:us-east-1:123456789012:cluster/real-estate-ai-cluster'
    # No aws CLI: PATH is one empty folder of the test's own.
    $script:SavedPath = $env:PATH
    $script:EmptyBin = Join-Path $TestHome 'empty-bin'
    New-Item -ItemType Directory -Path $EmptyBin | Out-Null
    $env:PATH = $EmptyBin
    function script:Get-Count([string] $Operation) {
        $n = (Invoke-RestMethod "$script:Url/_sandbox/requests" -Headers $script:Control).operations."$Operation"
        if ($n) { [long]$n } else { 0L }
    }
}

AfterAll {
    $env:PATH = $script:SavedPath
    Stop-TestSandbox $script:TestHome
}

Describe 'Set-OpsContext -EksCluster' {
    It '-WhatIf describes the cluster but writes neither the kubeconfig nor the context' {
        $path = Join-Path $TestHome 'whatif/kube/config'
        $before = Get-OpsContext sandbox
        Set-OpsContext sandbox -EksCluster real-estate-ai-cluster -KubeconfigPath $path -WhatIf
        Test-Path $path | Should -BeFalse
        Test-Path (Split-Path $path) | Should -BeFalse
        (Get-OpsContext sandbox).KubeconfigPath | Should -Be $before.KubeconfigPath
    }

    It 'writes a new kubeconfig (0600 in a 0700 folder) and points the context at it' {
        $path = Join-Path $TestHome 'eks-kube/config'
        Set-OpsContext sandbox -EksCluster real-estate-ai-cluster -KubeconfigPath $path
        Test-Path $path | Should -BeTrue
        if (-not $IsWindows) {
            (Get-Item $path).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
            (Get-Item (Split-Path $path)).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        }
        $text = Get-Content -Raw $path
        $text | Should -Match ([regex]::Escape("current-context: $Arn"))
        $text | Should -Match 'command: aws'
        $text | Should -Match 'get-token'
        $text | Should -Not -Match 'k8s-aws-v1'
        $c = Get-OpsContext sandbox
        $c.ClusterName | Should -Be 'real-estate-ai-cluster'
        $c.KubeContext | Should -Be $Arn
        $c.KubeconfigPath | Should -Be $path
    }

    It 'the Kubernetes cmdlets use it with tokens minted in-process, with no aws CLI on PATH' {
        Get-Command aws -ErrorAction Ignore | Should -BeNullOrEmpty
        $verbose = Get-KubeNode -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $nodes = Get-KubeNode
        @($nodes).Count | Should -BeGreaterThan 0
        ($verbose.Message -join "`n") | Should -Match 'EKS token for cluster .real-estate-ai-cluster. minted in-process'
        ($verbose.Message -join "`n") | Should -Not -Match 'k8s-aws-v1'
    }

    It 'merges into an existing kubeconfig under an alias, keeping its other contexts working' {
        $path = Join-Path $TestHome 'merged/config'
        New-Item -ItemType Directory -Path (Split-Path $path) | Out-Null
        Copy-Item $Sandbox.KubeconfigPath $path
        Set-OpsContext sandbox -EksCluster real-estate-ai-cluster -KubeconfigPath $path -KubeContext eks-prod
        (Get-OpsContext sandbox).KubeContext | Should -Be 'eks-prod'
        $text = Get-Content -Raw $path
        $text | Should -Match 'name: sandbox-admin'
        $text | Should -Match 'current-context: eks-prod'
        @(Get-KubeNode -KubeContext sandbox).Count | Should -BeGreaterThan 0
        @(Get-KubeNode -KubeContext eks-prod).Count | Should -BeGreaterThan 0
    }

    It 'an unknown cluster is EKS''s ResourceNotFoundException and nothing is written' {
        $path = Join-Path $TestHome 'unknown/config'
        { Set-OpsContext sandbox -EksCluster no-such-cluster -KubeconfigPath $path -ErrorAction Stop } | Should -Throw -ErrorId 'ResourceNotFoundException*'
        Test-Path $path | Should -BeFalse
    }
}

Describe 'EKS tokens at the sandbox' {
    It 'a forged token is refused with 401' {
        $forged = 'k8s-aws-v1.' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15')).TrimEnd('=').Replace('+', '-').Replace('/', '_')
        $r = Invoke-WebRequest "$Url/api/v1/nodes" -Headers @{ Authorization = "Bearer $forged" } -SkipHttpErrorCheck
        $r.StatusCode | Should -Be 401
    }
}
