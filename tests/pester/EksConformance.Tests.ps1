# Conformance: the real aws CLI (/usr/bin/aws, Debian's awscli) and kubectl drive the sandbox's EKS and its Kubernetes
# API, with the Maintenance runbook's own commands: node group update, add-on versions, control-plane upgrade, add-ons
# and node groups to match, then kubectl showing the new versions. The sandbox stays faithful to EKS's REST-JSON API
# (botocore's model), its errors and its update lifecycle.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-TestPostgres
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 300
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox
    Set-SandboxAwsEnvironment $Sandbox $TestHome
    $env:AWS_PROFILE = 'sandbox'
    $env:AWS_DEFAULT_REGION = 'us-east-1'
    $script:Cluster = 'real-estate-ai-cluster'
    $script:Timings = [System.Collections.Generic.List[object]]::new()

    $script:AwsExe = '/usr/bin/aws'
    function script:Invoke-Aws {
        # The aws CLI under Invoke-Client's timeout; exit code, parsed JSON, stderr, and how long the call took.
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $stdout = Invoke-Client $script:AwsExe --endpoint-url $script:Url --output json @args 2>$script:TestHome/aws.err
        $code = $LASTEXITCODE
        $watch.Stop()
        $script:Timings.Add([pscustomobject]@{ Command = ($args[0..1] -join ' '); ExitCode = $code; Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 2) })
        $text = ($stdout | ForEach-Object { "$_" }) -join "`n"
        [pscustomobject]@{
            ExitCode = $code
            Json     = if ($code -eq 0 -and $text.Trim()) { $text | ConvertFrom-Json } else { $null }
            Error    = (Get-Content -Raw "$script:TestHome/aws.err" -ErrorAction Ignore)
        }
    }

    function script:kc {
        $env:KUBECONFIG = $script:Sandbox.KubeconfigPath
        try { Invoke-Client kubectl --cache-dir (Join-Path $script:TestHome 'kube-cache') @args 2>&1 | ForEach-Object { "$_" } } finally { $env:KUBECONFIG = $null }
    }

    function script:Wait-EksUpdate([string] $UpdateId, [string[]] $Scope = @(), [int] $Seconds = 120) {
        # describe-update until the update leaves InProgress (the sandbox runs 300 times faster than AWS).
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ($true) {
            $r = Invoke-Aws eks describe-update --name $script:Cluster --update-id $UpdateId @Scope
            if ($r.ExitCode -ne 0) { throw "describe-update failed: $($r.Error)" }
            if ($r.Json.update.status -ne 'InProgress') { return $r.Json.update }
            if ([DateTime]::UtcNow -gt $deadline) { throw "Update $UpdateId still InProgress after $Seconds s" }
            Start-Sleep -Milliseconds 300
        }
    }

    function script:Get-EksRequestCount([string] $Operation) {
        $counts = Invoke-RestMethod "$script:Url/_sandbox/requests" -Headers $script:Control
        $value = $counts.operations."eks:$Operation"
        if ($null -eq $value) { 0 } else { [int]$value }
    }

    . (Join-Path $RepoRoot 'tools/Prerequisites.ps1')
    $script:KubectlProblem = Get-KubectlProblem
    if ($KubectlProblem) { Write-Host "Skipping the kubectl checks: $KubectlProblem" }
}

AfterAll {
    if ($script:Timings) {
        Write-Host 'aws CLI calls (command, exit code, seconds):'
        $script:Timings | Group-Object Command | ForEach-Object {
            Write-Host ("  {0,-36} {1,3} calls  max {2,5:0.00} s  exit codes {3}" -f $_.Name, $_.Count, ($_.Group.Seconds | Measure-Object -Maximum).Maximum, (($_.Group.ExitCode | Sort-Object -Unique) -join ','))
        }
    }
    Set-OpsSandboxFault -Reset -ErrorAction Ignore
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Clear-SandboxAwsEnvironment
    foreach ($v in 'AWS_PROFILE', 'AWS_DEFAULT_REGION', 'AWS_MAX_ATTEMPTS', 'REALESTATEOPS_SANDBOX_PG') { Remove-Item "env:$v" -ErrorAction Ignore }
    Remove-IsolatedHome $script:TestHome
}

Describe 'aws eks against the sandbox: the Maintenance runbook' {
    It 'list-clusters and describe-cluster show the cluster on the sandbox Kubernetes API' {
        $before = Get-EksRequestCount ListClusters
        $r = Invoke-Aws eks list-clusters
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $r.Json.clusters | Should -Be @($Cluster)
        (Get-EksRequestCount ListClusters) | Should -Be ($before + 1)

        $r = Invoke-Aws eks describe-cluster --name $Cluster
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $c = $r.Json.cluster
        $c.status | Should -Be 'ACTIVE'
        $c.version | Should -Be '1.32'
        $server = (Get-Content -Raw $Sandbox.KubeconfigPath) -split "`n" | Where-Object { $_ -match '^\s*server:' } | Select-Object -First 1
        $server.Trim() | Should -Be "server: $($c.endpoint)"
        [Text.Encoding]::ASCII.GetString([Convert]::FromBase64String($c.certificateAuthority.data)) | Should -Match 'BEGIN CERTIFICATE'
    }

    It 'describe-cluster of another name is ResourceNotFoundException' {
        $r = Invoke-Aws eks describe-cluster --name no-such-cluster
        $r.ExitCode | Should -Be 254
        $r.Error | Should -Match 'ResourceNotFoundException.*No cluster found for name: no-such-cluster'
    }

    It 'describe-nodegroup shows standard-nodes with its version, release, scaling and update config' {
        $r = Invoke-Aws eks describe-nodegroup --cluster-name $Cluster --nodegroup-name standard-nodes
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $ng = $r.Json.nodegroup
        $ng.status | Should -Be 'ACTIVE'
        $ng.version | Should -Be '1.32'
        $ng.releaseVersion | Should -Be '1.32.3-20250212'
        $ng.scalingConfig.desiredSize | Should -Be 3
        $ng.updateConfig.maxUnavailable | Should -Be 1
        $ng.instanceTypes | Should -Be @('m5.xlarge')
    }

    It 'update-nodegroup-version (the runbook''s command) replaces the nodes at the latest release; kubectl get nodes shows them' {
        # A slower clock while the update starts (setup, launch and one cordon wait: 3 sandbox minutes, 18 s at speed 10),
        # so describe-nodegroup sees it in progress even when each aws call takes seconds (on a loaded machine, at speed
        # 300 the three nodes were replaced before the second call answered).
        Set-OpsSandboxClock -Speed 10
        try {
            $r = Invoke-Aws eks update-nodegroup-version --cluster-name $Cluster --nodegroup-name standard-nodes
            $r.ExitCode | Should -Be 0 -Because $r.Error
            $update = $r.Json.update
            $update.status | Should -Be 'InProgress'
            ($update.params | Where-Object type -eq 'ReleaseVersion').value | Should -Be '1.32.7-20250715'
            (Invoke-Aws eks describe-nodegroup --cluster-name $Cluster --nodegroup-name standard-nodes).Json.nodegroup.status | Should -Be 'UPDATING'
        }
        finally { Set-OpsSandboxClock -Speed 300 }

        # A node group's update is found under its node group, not the cluster's own updates.
        $wrongScope = Invoke-Aws eks describe-update --name $Cluster --update-id $update.id
        $wrongScope.ExitCode | Should -Be 254
        $wrongScope.Error | Should -Match 'ResourceNotFoundException'

        $done = Wait-EksUpdate $update.id -Scope '--nodegroup-name', 'standard-nodes'
        $done.status | Should -Be 'Successful'
        $done.errors | Should -BeNullOrEmpty
        $ng = (Invoke-Aws eks describe-nodegroup --cluster-name $Cluster --nodegroup-name standard-nodes).Json.nodegroup
        $ng.status | Should -Be 'ACTIVE'
        $ng.releaseVersion | Should -Be '1.32.7-20250715'
        if (-not $KubectlProblem) {
            $nodes = kc get nodes -l eks.amazonaws.com/nodegroup=standard-nodes --no-headers
            $LASTEXITCODE | Should -Be 0 -Because ($nodes -join "`n")
            $nodes.Count | Should -Be 3
            $nodes | ForEach-Object { $_ | Should -Match '\sReady\s.*v1\.32\.7-eks-' }
            $nodes | Should -Not -Match 'ip-10-0-1-21\.ec2\.internal'
            kc get deploy -n real-estate-ai --no-headers | ForEach-Object { ($_ -split '\s+')[1] | Should -Match '^(\d+)/\1$' -Because $_ }
        }
    }

    It 'describe-addon-versions --kubernetes-version 1.33 lists each add-on''s versions for 1.33 with a default' {
        $r = Invoke-Aws eks describe-addon-versions --kubernetes-version 1.33
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $r.Json.addons.addonName | Sort-Object | Should -Be @('coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni')
        $kubeProxy = $r.Json.addons | Where-Object addonName -eq 'kube-proxy'
        $default = $kubeProxy.addonVersions | Where-Object { $_.compatibilities | Where-Object { $_.clusterVersion -eq '1.33' -and $_.defaultVersion } }
        $default.addonVersion | Should -Be 'v1.33.0-eksbuild.2'
        $kubeProxy.addonVersions.addonVersion | Should -Not -Contain 'v1.32.0-eksbuild.2'
        $r = Invoke-Aws eks describe-addon-versions --kubernetes-version 1.33 --addon-name coredns --max-items 1
        $r.ExitCode | Should -Be 0 -Because $r.Error
        @($r.Json.addons).Count | Should -Be 1
    }

    It 'list-insights and describe-insight report 1.33''s upgrade readiness: add-ons to move, kubelets in step' {
        # Debian's aws CLI (2.9.19) predates ListInsights (December 2023): an aws CLI on the PATH that knows it, else skipped.
        $r = $null
        foreach ($exe in @('/usr/bin/aws') + @(Get-Command aws -All -CommandType Application -ErrorAction Ignore | ForEach-Object Source)) {
            $script:AwsExe = $exe
            try { $r = Invoke-Aws eks list-insights --cluster-name $Cluster --filter 'categories=UPGRADE_READINESS,kubernetesVersions=1.33' }
            finally { $script:AwsExe = '/usr/bin/aws' }
            if (-not ($r.ExitCode -eq 252 -and $r.Error -match 'Invalid choice')) { $insightsExe = $exe; break }
        }
        if (-not $insightsExe) { Set-ItResult -Skipped -Because 'no aws CLI here knows eks list-insights (Debian''s 2.9.19 predates it)'; return }
        Write-Host "list-insights with $insightsExe"
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $insights = $r.Json.insights
        ($insights | Where-Object name -eq 'Kubelet version skew').insightStatus.status | Should -Be 'PASSING'
        $addons = $insights | Where-Object name -eq 'Amazon EKS add-on version compatibility'
        $addons.insightStatus.status | Should -Be 'WARNING'
        $addons.insightStatus.reason | Should -Match 'kube-proxy v1\.32\.0-eksbuild\.2'
        $script:AwsExe = $insightsExe
        try { $d = Invoke-Aws eks describe-insight --cluster-name $Cluster --id $addons.id } finally { $script:AwsExe = '/usr/bin/aws' }
        $d.ExitCode | Should -Be 0 -Because $d.Error
        ($d.Json.insight.categorySpecificSummary.addonCompatibilityDetails | Where-Object name -eq 'coredns').compatibleVersions | Should -Contain 'v1.12.1-eksbuild.2'
    }

    It 'update-cluster-version goes one minor at a time; to 1.33 it completes and kubectl version reports 1.33' {
        $skip = Invoke-Aws eks update-cluster-version --name $Cluster --kubernetes-version 1.34
        $skip.ExitCode | Should -Be 254
        $skip.Error | Should -Match 'InvalidParameterException.*Unsupported Kubernetes minor version update from 1.32 to 1.34'

        # A slower clock while the update runs (4 sandbox minutes: 12 s at speed 20), so the checks below see it in progress.
        Set-OpsSandboxClock -Speed 20
        try {
            $r = Invoke-Aws eks update-cluster-version --name $Cluster --kubernetes-version 1.33
            $r.ExitCode | Should -Be 0 -Because $r.Error
            $r.Json.update.type | Should -Be 'VersionUpdate'
            (Invoke-Aws eks describe-cluster --name $Cluster).Json.cluster.status | Should -Be 'UPDATING'
            $busy = Invoke-Aws eks update-cluster-version --name $Cluster --kubernetes-version 1.33
            $busy.Error | Should -Match 'ResourceInUseException'
        }
        finally { Set-OpsSandboxClock -Speed 300 }
        $done = Wait-EksUpdate $r.Json.update.id
        $done.status | Should -Be 'Successful'
        $c = (Invoke-Aws eks describe-cluster --name $Cluster).Json.cluster
        $c.version | Should -Be '1.33'
        $c.status | Should -Be 'ACTIVE'
        if (-not $KubectlProblem) {
            $v = (kc version -o json) -join "`n" | ConvertFrom-Json
            $v.serverVersion.minor | Should -Be '33'
            $v.serverVersion.gitVersion | Should -Match '^v1\.33\.'
        }
    }

    It 'update-addon moves kube-proxy and coredns to 1.33''s versions; the kube-proxy DaemonSet runs the new image' {
        $ids = foreach ($a in @(@('kube-proxy', 'v1.33.0-eksbuild.2'), @('coredns', 'v1.12.1-eksbuild.2'))) {
            $r = Invoke-Aws eks update-addon --cluster-name $Cluster --addon-name $a[0] --addon-version $a[1] --resolve-conflicts OVERWRITE
            $r.ExitCode | Should -Be 0 -Because $r.Error
            $r.Json.update.type | Should -Be 'AddonUpdate'
            , @($a[0], $r.Json.update.id)
        }
        foreach ($pair in $ids) {
            (Wait-EksUpdate $pair[1] -Scope '--addon-name', $pair[0]).status | Should -Be 'Successful'
        }
        $kp = (Invoke-Aws eks describe-addon --cluster-name $Cluster --addon-name kube-proxy).Json.addon
        $kp.addonVersion | Should -Be 'v1.33.0-eksbuild.2'
        $kp.status | Should -Be 'ACTIVE'
        if (-not $KubectlProblem) {
            kc get daemonset kube-proxy -n kube-system -o 'jsonpath={.spec.template.spec.containers[0].image}' | Should -Match 'kube-proxy:v1\.33\.0-eksbuild\.2$'
            $images = kc get pods -n kube-system -l k8s-app=kube-proxy -o 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\n"}{end}'
            $images | Where-Object { $_ } | ForEach-Object { $_ | Should -Match 'v1\.33\.0-eksbuild\.2$' }
        }
    }

    It 'update-nodegroup-version --kubernetes-version 1.33 brings both node groups to 1.33; every node and deployment is ready' {
        foreach ($group in 'standard-nodes', 'gpu-nodes') {
            $r = Invoke-Aws eks update-nodegroup-version --cluster-name $Cluster --nodegroup-name $group --kubernetes-version 1.33
            $r.ExitCode | Should -Be 0 -Because $r.Error
            (Wait-EksUpdate $r.Json.update.id -Scope '--nodegroup-name', $group).status | Should -Be 'Successful'
            (Invoke-Aws eks describe-nodegroup --cluster-name $Cluster --nodegroup-name $group).Json.nodegroup.version | Should -Be '1.33'
        }
        (Invoke-Aws eks list-updates --name $Cluster --nodegroup-name standard-nodes).Json.updateIds.Count | Should -Be 2
        if (-not $KubectlProblem) {
            $nodes = kc get nodes --no-headers
            $nodes.Count | Should -Be 4
            $nodes | ForEach-Object { $_ | Should -Match '\sReady\s.*v1\.33\.\d+-eks-' }
            kc get deploy -n real-estate-ai --no-headers | ForEach-Object { ($_ -split '\s+')[1] | Should -Match '^(\d+)/\1$' -Because $_ }
        }
    }

    It 'update-nodegroup-version refuses a version above the control plane' {
        $r = Invoke-Aws eks update-nodegroup-version --cluster-name $Cluster --nodegroup-name standard-nodes --kubernetes-version 1.34
        $r.ExitCode | Should -Be 254
        $r.Error | Should -Match 'InvalidParameterException.*control plane version 1\.33'
    }

    It 'injected faults come in EKS''s shape: throttling the CLI names, and retried away at 20%' {
        $env:AWS_MAX_ATTEMPTS = '2'
        try {
            Set-OpsSandboxFault -Service eks -ErrorRate 1 -Error 429:ThrottlingException
            $r = Invoke-Aws eks list-clusters
            $r.ExitCode | Should -Not -Be 0
            $r.Error | Should -Match 'ThrottlingException'
            Set-OpsSandboxFault -Service eks -ErrorRate 1 -Error 500:InternalError
            $r = Invoke-Aws eks describe-cluster --name $Cluster
            $r.Error | Should -Match 'ServerException'
        }
        finally { Set-OpsSandboxFault -Reset; Remove-Item env:AWS_MAX_ATTEMPTS -ErrorAction Ignore }
        Set-OpsSandboxFault -Service eks -ErrorRate 0.2
        # Enough attempts that 20% faults are retried away (with the CLI's default of 3, one call in 125 still fails: a flaky test).
        $env:AWS_MAX_ATTEMPTS = '10'
        try {
            1..5 | ForEach-Object {
                $r = Invoke-Aws eks describe-nodegroup --cluster-name $Cluster --nodegroup-name gpu-nodes
                $r.ExitCode | Should -Be 0 -Because $r.Error
            }
        }
        finally { Set-OpsSandboxFault -Reset; Remove-Item env:AWS_MAX_ATTEMPTS -ErrorAction Ignore }
    }
}
