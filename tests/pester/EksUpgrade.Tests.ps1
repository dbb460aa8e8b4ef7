# The whole EKS upgrade on the sandbox: the pre-flight, the plan under -WhatIf, the upgrade from the seeded cluster's
# minor (1.32) to the next with 20% injected faults on EKS and Kubernetes, Ctrl+C during a wait (the AWS update goes on,
# the message says how to resume) and the resumed run, and examples/Invoke-ClusterUpgrade.ps1's exit codes.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Import-Module $ModuleManifest -Force
    $env:REALESTATEOPS_CONTEXT = 'sandbox'   # not Use-OpsContext: the session's choice would outlive this file

    # A fresh sandbox for each Describe (its own cluster at 1.32); a sandbox minute every 200 ms.
    function script:Start-FreshSandbox {
        if (Get-OpsSandbox | Where-Object Responding) { Stop-OpsSandbox -Confirm:$false }
        $script:Sandbox = Start-OpsSandbox -Speed 300
        $script:Control = Get-SandboxControlHeader $Sandbox
        $script:Url = $Sandbox.Url.TrimEnd('/')
    }
    function script:Get-Operations { (Invoke-RestMethod "$Url/_sandbox/requests" -Headers $Control).operations }
    # How many update requests EKS received (UpdateClusterVersion, UpdateAddon, UpdateNodegroupVersion).
    function script:Get-UpdateRequests {
        $ops = Get-Operations
        [long] (@($ops.PSObject.Properties | Where-Object Name -match '^eks:Update(ClusterVersion|Addon|NodegroupVersion)$' | ForEach-Object Value) | Measure-Object -Sum).Sum
    }
    function script:Get-OperationCount([string] $Name) { $n = (Get-Operations).$Name; if ($n) { [long] $n } else { 0L } }
    function script:Set-Clock([double] $Speed) {
        Invoke-RestMethod "$Url/_sandbox/clock" -Method Put -ContentType application/json -Body (@{ speed = $Speed } | ConvertTo-Json) -Headers $Control | Out-Null
    }
    # Runs a script in another runspace of this process and stops it (what Ctrl+C does) once $Until says so.
    function script:Stop-After([string] $Script, [scriptblock] $Until, [int] $Seconds = 60) {
        $ps = [powershell]::Create()
        try {
            [void] $ps.AddScript("`$env:REALESTATEOPS_CONTEXT = 'sandbox'; Import-Module '$ModuleManifest'; $Script")
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            while (-not (& $Until) -and -not $handle.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $handle.IsCompleted | Should -BeFalse -Because 'the command was still waiting when it was stopped'
            $ps.Stop()
            $handle.IsCompleted | Should -BeTrue
            [pscustomobject]@{ Errors = @($ps.Streams.Error); Warnings = @($ps.Streams.Warning); Progress = @($ps.Streams.Progress) }
        } finally { $ps.Dispose() }
    }
}

AfterAll {
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    $env:REALESTATEOPS_CONTEXT = $null
    Remove-Module RealEstateOps -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'The pre-flight and the plan on the seeded cluster' {
    BeforeAll { Start-FreshSandbox }

    It 'gives one verdict per check: coredns and kube-proxy must move, nothing fails' {
        $checks = @(Test-EksUpgradeReadiness -KubernetesVersion 1.33 -ErrorVariable notReady)
        $notReady | Should -BeNullOrEmpty
        @($checks.Check | Sort-Object -Unique) | Should -Be @('AddonCompatibility', 'ControlPlaneVersion', 'DisruptionBudget', 'MaintenanceWindow', 'NodeGroupUpdateConfig', 'UpdateInProgress', 'UpgradeInsight', 'VersionSkew')
        @($checks | Where-Object Result -eq 'Fail') | Should -BeNullOrEmpty
        ($checks | Where-Object Subject -eq 'addon/coredns').Result | Should -Be 'Warn'
        ($checks | Where-Object Subject -eq 'addon/kube-proxy').Result | Should -Be 'Warn'
        ($checks | Where-Object Subject -eq 'addon/kube-proxy').Detail | Should -Match 'v1\.33\.0-eksbuild'
        # Per node group and per node, from the Kubernetes API.
        @($checks | Where-Object { $_.Check -eq 'VersionSkew' -and $_.Subject -like 'node/*' }).Count | Should -Be 4
        @($checks | Where-Object { $_.Check -eq 'VersionSkew' -and $_.Subject -like 'nodegroup/*' }).Count | Should -Be 2
        # The drain's prediction: api-service's budget lets one of the two pods on the first node go at a time.
        $budget = $checks | Where-Object Subject -eq 'pdb/real-estate-ai/api-service-pdb'
        $budget.Result | Should -Be 'Warn'
        $budget.Detail | Should -Match 'api-service-'
        Test-EksUpgradeReadiness -KubernetesVersion 1.33 -Quiet | Should -BeTrue
        (Test-EksUpgradeReadiness -KubernetesVersion 1.33 | Out-String -Width 80) -split "`n" | Where-Object { $_.TrimEnd().Length -gt 80 } | Should -BeNullOrEmpty
    }

    It 'refuses a target that skips a minor, as a Fail with what to do' {
        $checks = @(Test-EksUpgradeReadiness -KubernetesVersion 1.34 -ErrorVariable notReady -ErrorAction SilentlyContinue)
        ($checks | Where-Object Check -eq 'ControlPlaneVersion').Result | Should -Be 'Fail'
        $notReady[0].FullyQualifiedErrorId | Should -BeLike 'EksUpgradeNotReady,*'
        Test-EksUpgradeReadiness -KubernetesVersion 1.34 -Quiet | Should -BeFalse
    }

    It '-WhatIf shows the plan and makes no update request' {
        $before = Get-UpdateRequests
        $plan = Invoke-EksUpgrade -KubernetesVersion 1.33 -WhatIf -WarningAction SilentlyContinue
        Get-UpdateRequests | Should -Be $before
        $plan.WhatIf | Should -BeTrue
        @($plan.Steps.Kind) | Should -Be @('ControlPlane', 'Addon', 'Addon', 'Addon', 'Addon', 'NodeGroup', 'NodeGroup', 'Verify')
        @($plan.Steps | Where-Object Outcome -ne 'WhatIf') | Should -BeNullOrEmpty
        ($plan.Steps | Where-Object Name -eq 'kube-proxy').ToVersion | Should -Match '^v1\.33\.'
        (Get-EksCluster).Version | Should -Be '1.32'
        $entries = @(Get-OpsJournal -Command Invoke-EksUpgrade)
        $entries.Count | Should -Be 7
        @($entries | Where-Object Outcome -ne 'WhatIf') | Should -BeNullOrEmpty
    }

    It 'a deprecated API still in use fails the pre-flight, and the upgrade stops before any change' {
        $body = @{ apiVersion = 'flowcontrol.apiserver.k8s.io/v1beta3'; resource = 'flowschemas'; stopServingVersion = '1.33'; replacedWith = 'flowcontrol.apiserver.k8s.io/v1'; userAgent = 'legacy-operator/2.1'; requests = 12 } | ConvertTo-Json
        Invoke-RestMethod "$Url/_sandbox/eks/deprecated-apis" -Method Post -ContentType application/json -Body $body -Headers $Control | Out-Null
        $checks = @(Test-EksUpgradeReadiness -ErrorVariable notReady -ErrorAction SilentlyContinue)
        $insight = $checks | Where-Object { $_.Check -eq 'UpgradeInsight' -and $_.Result -eq 'Fail' }
        $insight.Detail | Should -Match 'flowschemas'
        $insight.Detail | Should -Match 'legacy-operator/2\.1'
        $notReady[0].FullyQualifiedErrorId | Should -BeLike 'EksUpgradeNotReady,*'

        $before = Get-UpdateRequests
        { Invoke-EksUpgrade -KubernetesVersion 1.33 -Force -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Throw -ErrorId 'EksUpgradeNotReady,*'
        Get-UpdateRequests | Should -Be $before
        $entry = Get-OpsJournal -Command Invoke-EksUpgrade | Select-Object -Last 1
        ($entry.Outcome, $entry.ErrorId) | Should -Be @('Failed', 'EksUpgradeNotReady')
        $entry.Message | Should -Match 'flowschemas'
    }

    It 'examples/Invoke-ClusterUpgrade.ps1: not ready exits 3, outside an enforced window exits 2, -WhatIf exits 0; none changes anything' {
        $before = Get-UpdateRequests
        $summary = Join-Path $TestHome 'summary.json'
        # A window open all day, so that the script goes as far as the pre-flight.
        Set-OpsContext -Name sandbox -KubernetesWindow 'Daily 00:00-24:00' | Out-Null
        & (Join-Path $RepoRoot 'examples/Invoke-ClusterUpgrade.ps1') -SummaryPath $summary 6>$null 3>$null
        $LASTEXITCODE | Should -Be 3 -Because 'the deprecated API recorded above fails the pre-flight'
        (Get-Content -Raw $summary | ConvertFrom-Json).Outcome | Should -Be 'NotReady'

        & (Join-Path $RepoRoot 'examples/Invoke-ClusterUpgrade.ps1') -KubernetesVersion 1.33 -WhatIf -SummaryPath $summary 6>$null 3>$null
        $LASTEXITCODE | Should -Be 0
        $plan = Get-Content -Raw $summary | ConvertFrom-Json
        $plan.Outcome | Should -Be 'WhatIf'
        $plan.Steps.Count | Should -Be 8

        # The sandbox context enforcing a window which is closed now.
        $closed = 'Daily {0:HH}:00-{1:HH}:00' -f [DateTime]::UtcNow.AddHours(2), [DateTime]::UtcNow.AddHours(3)
        Set-OpsContext -Name sandbox -EnforceMaintenanceWindow $true -KubernetesWindow $closed | Out-Null
        try {
            & (Join-Path $RepoRoot 'examples/Invoke-ClusterUpgrade.ps1') -SummaryPath $summary 6>$null 3>$null
            $LASTEXITCODE | Should -Be 2
            (Get-Content -Raw $summary | ConvertFrom-Json).Outcome | Should -Be 'OutsideWindow'
            # Invoke-EksUpgrade itself refuses too, before any request.
            { Invoke-EksUpgrade -KubernetesVersion 1.33 -Force -ErrorAction Stop } | Should -Throw -ErrorId 'OutsideMaintenanceWindow,*'
        } finally { Set-OpsContext -Name sandbox -EnforceMaintenanceWindow $false -KubernetesWindow 'LastSat 01:00-05:00' | Out-Null }
        Get-UpdateRequests | Should -Be $before
    }
}

Describe 'The whole upgrade, 1.32 to 1.33, with 20% of EKS and Kubernetes requests failing; then a failed step and the run that goes on from it' {
    BeforeAll { Start-FreshSandbox }
    AfterAll { Set-OpsSandboxFault -Reset -Confirm:$false -ErrorAction Ignore | Out-Null }

    It 'ends with the control plane, every node and add-on at 1.33 and every deployment available, one journal entry per step' {
        Set-OpsSandboxFault -Service eks -ErrorRate 0.2 -Confirm:$false | Out-Null
        Set-OpsSandboxFault -Service kubernetes -ErrorRate 0.2 -Confirm:$false | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $since = [DateTimeOffset]::UtcNow
        try {
            $result = Invoke-EksUpgrade -KubernetesVersion 1.33 -Force -WarningAction SilentlyContinue -VerifyTimeout 3m
        } finally { Set-OpsSandboxFault -Reset -Confirm:$false | Out-Null }
        Write-Host ("The upgrade took {0:0.0} s" -f $watch.Elapsed.TotalSeconds)
        $result.Succeeded | Should -BeTrue -Because ($result | Out-String)
        ($result.VersionBefore, $result.VersionAfter) | Should -Be @('1.32', '1.33')
        @($result.Steps | Where-Object Outcome -ne 'Succeeded') | Should -BeNullOrEmpty
        @($result.Steps | Where-Object { $_.Kind -ne 'Verify' -and -not $_.UpdateId }) | Should -BeNullOrEmpty

        # What the cluster itself says, read afresh.
        (Get-EksCluster).Version | Should -Be '1.33'
        @(Get-EksNodeGroup | Where-Object Version -ne '1.33') | Should -BeNullOrEmpty
        $nodes = @(Get-KubeNode)
        $nodes.Count | Should -BeGreaterOrEqual 4
        @($nodes | Where-Object Version -notlike 'v1.33.*') | Should -BeNullOrEmpty
        @(Get-EksAddonVersion -KubernetesVersion 1.33 | Where-Object IsInstalledCompatible -ne $true) | Should -BeNullOrEmpty
        $deployments = @(Get-KubeDeployment -AllNamespaces)
        $deployments.Count | Should -BeGreaterThan 0
        @($deployments | Where-Object { $_.Available -lt $_.Replicas }) | Should -BeNullOrEmpty
        (Test-Deployment).Status | Should -Not -Be 'Failed'
        # The result reads at 80 and 120 columns (nothing cut off, nothing wider).
        foreach ($width in 80, 120) {
            $text = $result | Out-String -Width $width
            $text | Should -Match 'Verification : passed'
            @($text -split "`n" | Where-Object { $_.TrimEnd().Length -gt $width }) | Should -BeNullOrEmpty
            @($result.Steps | Format-Table | Out-String -Width $width) -split "`n" | Where-Object { $_.TrimEnd().Length -gt $width } | Should -BeNullOrEmpty
        }

        # One entry per step: the control plane, four add-ons, two node groups and the verification.
        $entries = @(Get-OpsJournal -Command Invoke-EksUpgrade | Where-Object Timestamp -ge $since)
        $entries.Count | Should -Be 8
        @($entries | Where-Object Outcome -ne 'Succeeded') | Should -BeNullOrEmpty
        @($entries.Target) | Should -Be @('cluster/real-estate-ai-cluster', 'addon/coredns', 'addon/eks-pod-identity-agent', 'addon/kube-proxy', 'addon/vpc-cni', 'nodegroup/gpu-nodes', 'nodegroup/standard-nodes', 'cluster/real-estate-ai-cluster')
        # Each update was started once, however often its request was retried (clientRequestToken).
        Get-OperationCount 'eks:UpdateClusterVersion' | Should -BeGreaterOrEqual 1
        @(Get-EksUpdate | Where-Object Type -eq 'VersionUpdate').Count | Should -Be 1

        # Run again: nothing to do, every step AlreadyDone, and the verification passes.
        $again = Invoke-EksUpgrade -KubernetesVersion 1.33 -Force -WarningAction SilentlyContinue
        $again.Succeeded | Should -BeTrue
        @($again.Steps | Where-Object { $_.Kind -ne 'Verify' -and $_.Outcome -ne 'AlreadyDone' }) | Should -BeNullOrEmpty
    }

    It 'a failed step stops the upgrade with its own error id, names the step and how to resume; run again, it goes on from there' {
        # kube-proxy's image changed outside EKS: with -ResolveConflicts None its update fails with ConfigurationConflict.
        $kc = Get-Content -Raw (Get-OpsContext sandbox).KubeconfigPath
        $server = [regex]::Match($kc, 'server:\s*(\S+)').Groups[1].Value
        $token = [regex]::Match($kc, 'token:\s*"([^"]+)"').Groups[1].Value
        $patch = @{ spec = @{ template = @{ spec = @{ containers = @(@{ name = 'kube-proxy'; image = '602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/kube-proxy:v1.33.0-patched-by-hand' }) } } } } | ConvertTo-Json -Depth 8
        Invoke-RestMethod -Method Patch "$server/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy" -Headers @{ Authorization = "Bearer $token" } `
            -ContentType 'application/strategic-merge-patch+json' -Body $patch -SkipCertificateCheck | Out-Null

        $since = [DateTimeOffset]::UtcNow
        $failed = $null
        $partial = $null
        try { Invoke-EksUpgrade -KubernetesVersion 1.34 -ResolveConflicts None -Force -WarningAction SilentlyContinue -ErrorAction Stop | ForEach-Object { $partial = $_ } }
        catch { $failed = $_ }
        $failed.FullyQualifiedErrorId | Should -BeLike 'ConfigurationConflict,*'
        $step = $partial.Steps | Where-Object Name -eq 'kube-proxy'
        $failed.Exception.Message | Should -Match "Step $($step.Number) of $($partial.Steps.Count) failed \(Update add-on kube-proxy"
        $failed.Exception.Message | Should -Match ([regex]::Escape('run Invoke-EksUpgrade -ClusterName real-estate-ai-cluster -KubernetesVersion 1.34 again'))
        ($step.Outcome, $step.ErrorId) | Should -Be @('Failed', 'ConfigurationConflict')
        ($partial.Steps | Where-Object Kind -eq 'ControlPlane').Outcome | Should -Be 'Succeeded'
        @($partial.Steps | Where-Object { $_.Number -gt $step.Number } | Where-Object Outcome -ne 'NotRun') | Should -BeNullOrEmpty
        $partial.Succeeded | Should -BeFalse
        $entry = Get-OpsJournal -Command Invoke-EksUpgrade | Where-Object Timestamp -ge $since | Select-Object -Last 1
        ($entry.Target, $entry.Outcome, $entry.ErrorId) | Should -Be @('addon/kube-proxy', 'Failed', 'ConfigurationConflict')

        # Run again, letting EKS's manifest win: the control plane is done already, the rest runs.
        $rerun = Invoke-EksUpgrade -KubernetesVersion 1.34 -ResolveConflicts Overwrite -Force -WarningAction SilentlyContinue
        $rerun.Succeeded | Should -BeTrue -Because ($rerun | Out-String)
        ($rerun.Steps | Where-Object Kind -eq 'ControlPlane').Outcome | Should -Be 'AlreadyDone'
        ($rerun.Steps | Where-Object Name -eq 'kube-proxy').Outcome | Should -Be 'Succeeded'
        (Get-EksAddon kube-proxy).AddonVersion | Should -Match '^v1\.34\.'
    }
}

Describe 'Ctrl+C during a wait, and the resumed upgrade (1.33 to 1.34)' {
    BeforeAll {
        Start-FreshSandbox
        # The cluster at 1.33 first (the same upgrade as above, without faults).
        $null = Invoke-EksUpgrade -KubernetesVersion 1.33 -Force -WarningAction SilentlyContinue
    }
    AfterAll { Set-Clock 300 }

    It 'Ctrl+C during Wait-EksUpdate leaves the update running at AWS and says how to resume' {
        Set-Clock 1   # the control plane's update takes minutes now
        $update = Update-EksCluster -KubernetesVersion 1.34 -Force
        $update.Status | Should -Be 'InProgress'
        $polls = Get-OperationCount 'eks:DescribeUpdate'
        $stopped = Stop-After "Wait-EksUpdate -UpdateId $($update.UpdateId)" { (Get-OperationCount 'eks:DescribeUpdate') -ge $polls + 2 }
        # The wait was stopped; the update itself was not.
        (Get-EksUpdate -UpdateId $update.UpdateId).Status | Should -Be 'InProgress'
        $said = ($stopped.Errors + $stopped.Warnings | ForEach-Object { "$_" }) -join "`n"
        $said | Should -Match 'still running'
        $said | Should -Match ([regex]::Escape("Wait-EksUpdate -ClusterName real-estate-ai-cluster -UpdateId $($update.UpdateId)"))
    }

    It 'Invoke-EksUpgrade stopped during a step says how to resume, and run again it attaches to the running update and finishes' {
        $running = Get-EksUpdate | Where-Object Status -eq 'InProgress' | Select-Object -First 1
        $running | Should -Not -BeNullOrEmpty
        $before = Get-OperationCount 'eks:UpdateClusterVersion'
        # How many DescribeUpdate calls the pre-flight and the plan make, so that the stop lands in the step's wait.
        $polls = Get-OperationCount 'eks:DescribeUpdate'
        $null = Invoke-EksUpgrade -KubernetesVersion 1.34 -WhatIf -WarningAction SilentlyContinue
        $planning = (Get-OperationCount 'eks:DescribeUpdate') - $polls
        $polls = Get-OperationCount 'eks:DescribeUpdate'
        $stopped = Stop-After 'Invoke-EksUpgrade -KubernetesVersion 1.34 -Force -WarningAction SilentlyContinue' { (Get-OperationCount 'eks:DescribeUpdate') -ge $polls + $planning + 2 }
        # Progress: the overall step, and under it the update's own status.
        $overall = @($stopped.Progress | Where-Object ActivityId -eq 1)
        @($overall.StatusDescription -match "^Step 1/\d+: $([regex]::Escape("Wait for update $($running.UpdateId) (started earlier): Update the control plane of cluster real-estate-ai-cluster from 1.33 to 1.34"))") | Should -Not -BeNullOrEmpty
        $phase = @($stopped.Progress | Where-Object { $_.ActivityId -eq 2 -and $_.ParentActivityId -eq 1 })
        $phase.Count | Should -BeGreaterThan 0
        $phase[-1].StatusDescription | Should -Match '^InProgress: control plane moving to 1\.34'
        Get-OperationCount 'eks:UpdateClusterVersion' | Should -Be $before -Because 'the update already running was waited for, not started again'
        $entry = Get-OpsJournal -Command Invoke-EksUpgrade | Select-Object -Last 1
        ($entry.Outcome, $entry.ErrorId, $entry.Target) | Should -Be @('Failed', 'WaitStopped', 'cluster/real-estate-ai-cluster')
        $entry.Message | Should -Match ([regex]::Escape('Invoke-EksUpgrade -ClusterName real-estate-ai-cluster -KubernetesVersion 1.34'))
        $entry.Message | Should -Match ([regex]::Escape("Wait-EksUpdate -ClusterName real-estate-ai-cluster -UpdateId $($running.UpdateId)"))
        (Get-EksUpdate -UpdateId $running.UpdateId).Status | Should -Be 'InProgress'

        Set-Clock 300
        $resumed = Invoke-EksUpgrade -KubernetesVersion 1.34 -Force -WarningAction SilentlyContinue
        $resumed.Succeeded | Should -BeTrue -Because ($resumed | Out-String)
        $resumed.Resumed | Should -BeTrue
        $first = $resumed.Steps[0]
        ($first.Kind, $first.Outcome, $first.Resumed, $first.UpdateId) | Should -Be @('ControlPlane', 'Succeeded', $true, $running.UpdateId)
        Get-OperationCount 'eks:UpdateClusterVersion' | Should -Be $before
        (Get-EksCluster).Version | Should -Be '1.34'
        @(Get-KubeNode | Where-Object Version -notlike 'v1.34.*') | Should -BeNullOrEmpty
    }
}
