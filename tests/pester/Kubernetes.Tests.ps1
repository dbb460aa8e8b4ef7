# Conformance: the real kubectl drives the sandbox's Kubernetes API, and the module and kubectl see the
# same cluster. Then the Kubernetes examples run against it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -Speed 5
    $script:Kubeconfig = $Sandbox.KubeconfigPath
    $script:CacheDir = Join-Path $TestHome 'kube-cache'
    function script:kc {
        # kubectl with the sandbox's kubeconfig; stdout and stderr as lines, exit code in $LASTEXITCODE.
        $env:KUBECONFIG = $script:Kubeconfig
        try { Invoke-Client kubectl --cache-dir $script:CacheDir @args 2>&1 | ForEach-Object { "$_" } } finally { $env:KUBECONFIG = $null }
    }
    $script:Node1 = 'ip-10-0-1-21.ec2.internal'
    # The tests that run kubectl need a recent one (build.ps1 says which); with none or an older one they are
    # skipped, with the reason, and counted as skipped.
    . (Join-Path $RepoRoot 'tools/Prerequisites.ps1')
    $script:KubectlProblem = Get-KubectlProblem
    if ($KubectlProblem) { Write-Host "Skipping the tests that run kubectl: $KubectlProblem" }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'kubectl against the sandbox' {
    BeforeEach { if ($KubectlProblem) { Set-ItResult -Skipped -Because $KubectlProblem } }

    It 'writes a kubeconfig and points the sandbox context at it' {
        $Kubeconfig | Should -Exist
        (Get-OpsContext sandbox).KubeconfigPath | Should -Be $Kubeconfig
    }

    It 'is refused by kubectl and the module alike with a kubeconfig that trusts another CA' {
        # Like a real cluster's, the sandbox's API is TLS and trusted only through the kubeconfig's CA: a kubeconfig
        # with another CA (a certificate made here, never the sandbox's) must not talk to it.
        $key = [System.Security.Cryptography.ECDsa]::Create()
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=not-the-sandbox-ca', $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $other = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
        $otherData = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes($other.ExportCertificatePem()))
        $wrong = Join-Path $TestHome 'kubeconfig-other-ca'
        (Get-Content -Raw $Kubeconfig) -replace '(certificate-authority-data:\s*)\S+', "`${1}$otherData" | Set-Content -Path $wrong
        (Get-Content -Raw $wrong) | Should -Not -Be (Get-Content -Raw $Kubeconfig)

        $out = Invoke-Client kubectl --kubeconfig $wrong --cache-dir $CacheDir get pods -n real-estate-ai 2>&1 | ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Not -Be 0
        ($out -join "`n") | Should -Match 'x509|certificate' -Because 'kubectl refuses a server its CA did not sign'

        $failed = $null
        $module = try { Get-KubePod -Kubeconfig $wrong -ErrorAction Stop } catch { $failed = $_ }
        $module | Should -BeNullOrEmpty
        $failed.FullyQualifiedErrorId | Should -Match '^KubeApiTlsUntrusted,'
        $failed.Exception.Message | Should -Match 'certificate'
        # With the kubeconfig's own CA, the same command works.
        @(Get-KubePod -Kubeconfig $Kubeconfig).Count | Should -BeGreaterThan 0
    }

    It 'gets pods, services and deployments as the module lists them' {
        $json = (kc get pods -n real-estate-ai -o json) -join "`n" | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        @($json.items.metadata.name | Sort-Object) | Should -Be @(Get-KubePod | ForEach-Object Name | Sort-Object)
        $services = kc get services -n real-estate-ai -o name
        $LASTEXITCODE | Should -Be 0
        @($services | Sort-Object) | Should -Be @(Get-KubeService | ForEach-Object { "service/$($_.Name)" } | Sort-Object)
        $deployments = (kc get deployments -n real-estate-ai -o json) -join "`n" | ConvertFrom-Json
        @($deployments.items | Where-Object { $_.status.readyReplicas -eq $_.spec.replicas }).Count | Should -Be 6
        # Server-side printing: kubectl's own columns.
        $table = (kc get pods -n real-estate-ai) -join "`n"
        $table | Should -Match 'NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE'
        $table | Should -Match 'api-service-\S+\s+2/2\s+Running\s+0\s+'
        (kc get deployments -n real-estate-ai) -join "`n" | Should -Match 'api-service\s+3/3\s+3\s+3\s+'
    }

    It 'shows kubectl-like tables' {
        Get-KubePod | Out-String -Width 200 | Should -Match 'NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+NODE'
        Get-KubeNode | Out-String -Width 200 | Should -Match 'ip-10-0-1-21\.ec2\.internal\s+Ready\s+<none>\s+3\dd'
        Get-NodeUsage | Out-String -Width 200 | Should -Match 'NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)'
    }

    It 'drains with --ignore-daemonsets --delete-emptydir-data, waiting on the disruption budget' {
        $out = (kc drain $Node1 --ignore-daemonsets --delete-emptydir-data --timeout=120s) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $out
        $out | Should -Match 'cordoned'
        $out | Should -Match 'ignoring DaemonSet-managed Pods'
        $out | Should -Match "Cannot evict pod as it would violate the pod's disruption budget"
        $out | Should -Match 'drained'
        (Get-KubeNode $Node1).Unschedulable | Should -BeTrue
        (kc get nodes) -join "`n" | Should -Match "$([regex]::Escape($Node1))\s+Ready,SchedulingDisabled"
        @(Get-KubePod -Node $Node1 -AllNamespaces | Where-Object Namespace -eq 'real-estate-ai').Count | Should -Be 0
    }

    It 'uncordons' {
        kc uncordon $Node1 | Should -Match 'uncordoned'
        (Get-KubeNode $Node1).Unschedulable | Should -BeFalse
    }

    It 'restarts, waits for and undoes a rollout' {
        kc rollout restart deployment/auth-service -n real-estate-ai | Should -Match 'restarted'
        $status = (kc rollout status deployment/auth-service -n real-estate-ai --timeout=90s) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $status
        $status | Should -Match 'successfully rolled out'
        @(Get-RolloutHistory auth-service | ForEach-Object Revision) | Should -Be @(1, 2)
        kc rollout undo deployment/auth-service -n real-estate-ai | Should -Match 'rolled back'
        kc rollout status deployment/auth-service -n real-estate-ai --timeout=90s | Out-Null
        $LASTEXITCODE | Should -Be 0
        (kc rollout history deployment/auth-service -n real-estate-ai) -join "`n" | Should -Match '(?m)^2\s+.*\n3\s+'
        kc rollout undo deployment/auth-service -n real-estate-ai --to-revision=3 | Should -Match 'skipped rollback'
        (Wait-Rollout auth-service -Timeout 1m).Status | Should -Be 'Complete'
    }

    It 'reads logs with --tail, choosing the default container' {
        $lines = kc logs deployment/frontend -n real-estate-ai --tail 3
        $LASTEXITCODE | Should -Be 0
        @($lines | Where-Object { $_ -match '^(INFO|WARN|ERROR)' }).Count | Should -Be 3
        $pod = (Get-KubePod -Selector app=api-service | Where-Object Status -eq Running | Select-Object -First 1).Name
        (kc logs $pod -n real-estate-ai --tail=2) -join "`n" | Should -Match 'INFO|WARN|ERROR'
        $LASTEXITCODE | Should -Be 0
        @(Get-PodLog $pod -Tail 2 | ForEach-Object Container | Sort-Object -Unique) | Should -Be @('api')
    }

    It 'shows top nodes and top pods' {
        $nodes = kc top nodes
        $LASTEXITCODE | Should -Be 0
        $nodes[0] | Should -Match 'NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)'
        @($nodes | Select-Object -Skip 1).Count | Should -Be 4
        $usage = Get-NodeUsage $Node1
        $line = $nodes | Where-Object { $_ -like "$Node1 *" }
        $line | Should -Match '\d+m\s+\d+%\s+\d+Mi\s+\d+%'
        (kc top pods -n real-estate-ai) -join "`n" | Should -Match 'api-service-'
        $usage.AllocatableCpuMillicores | Should -Be 3920
    }

    It 'creates or replaces a secret with create --dry-run=client -o yaml | apply -f -' {
        $env:KUBECONFIG = $Kubeconfig
        try {
            $out = kubectl --cache-dir $CacheDir create secret generic db-credentials -n real-estate-ai --from-literal=host=kubectl-host --from-literal=password=kubectl-pw --dry-run=client -o yaml |
                kubectl --cache-dir $CacheDir apply -f - 2>&1
        } finally { $env:KUBECONFIG = $null }
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        ($out -join "`n") | Should -Match 'secret/db-credentials (configured|created)'
        $cred = [pscredential]::new('real_estate_app', (ConvertTo-SecureString 'module-pw' -AsPlainText -Force))
        $written = Set-DbConnectionSecret -Host module-host -Port 5432 -Credential $cred -PassThru -Confirm:$false
        $written.Action | Should -Be 'Updated'
        $hostB64 = kc get secret db-credentials -n real-estate-ai -o 'jsonpath={.data.host}'
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($hostB64)) | Should -Be 'module-host'
    }

    It 'sees the module''s drain as kubectl would' {
        $result = Invoke-NodeDrain 'ip-10-0-3-47.ec2.internal' -DeleteEmptyDirData -Confirm:$false
        $result.Status | Should -Be 'Drained'
        $node = (kc get node ip-10-0-3-47.ec2.internal -o json) -join "`n" | ConvertFrom-Json
        $node.spec.unschedulable | Should -BeTrue
        (kc get pods -A --field-selector spec.nodeName=ip-10-0-3-47.ec2.internal -o name) -join "`n" | Should -Not -Match 'real-estate-ai|chatbot|auth-service'
        Enable-NodeScheduling 'ip-10-0-3-47.ec2.internal' -Confirm:$false | Out-Null
    }
}

Describe 'kubectl watches on the sandbox' {
    BeforeAll {
        # kubectl (under Invoke-Client's timeout), its exit code and output, and how long it ran (written to the run's log).
        function script:Measure-Kubectl {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $out = (kc @args) -join "`n"
            $code = $LASTEXITCODE
            $watch.Stop()
            Write-Host ('kubectl {0}: exit {1} after {2:0.00} s' -f ($args -join ' '), $code, $watch.Elapsed.TotalSeconds)
            [pscustomobject]@{ Output = $out; ExitCode = $code }
        }
        function script:Get-OpenWatch { (Invoke-RestMethod "$($Sandbox.Url)_sandbox/kubernetes/watches" -Headers (Get-SandboxControlHeader $Sandbox)).open }
    }
    BeforeEach { if ($KubectlProblem) { Set-ItResult -Skipped -Because $KubectlProblem } }

    It 'rollout status of a rolled-out deployment exits, also with --timeout and -w=false' {
        foreach ($extra in @(@(), @('--timeout=60s'), @('-w=false'))) {
            $r = Measure-Kubectl rollout status deployment/api-service -n real-estate-ai @extra
            $r.ExitCode | Should -Be 0 -Because $r.Output
            $r.Output | Should -Match 'deployment "api-service" successfully rolled out'
        }
    }

    It 'rollout status follows a rollout in progress and exits when it completes' {
        # A slower clock for this rollout, so kubectl surely starts while it is in progress.
        $clock = "$($Sandbox.Url)_sandbox/clock"
        Invoke-RestMethod $clock -Method Put -ContentType application/json -Body '{"speed":1}' -Headers (Get-SandboxControlHeader $Sandbox) | Out-Null
        try {
            kc rollout restart deployment/chatbot-service -n real-estate-ai | Should -Match 'restarted'
            $r = Measure-Kubectl rollout status deployment/chatbot-service -n real-estate-ai --timeout=120s
        } finally {
            Invoke-RestMethod $clock -Method Put -ContentType application/json -Body '{"speed":5}' -Headers (Get-SandboxControlHeader $Sandbox) | Out-Null
        }
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'Waiting for deployment "chatbot-service" rollout to finish'
        $r.Output | Should -Match 'deployment "chatbot-service" successfully rolled out'
    }

    It 'wait --for=condition=Available exits when the condition holds' {
        $r = Measure-Kubectl wait --for=condition=Available deployment/api-service deployment/chatbot-service -n real-estate-ai --timeout=60s
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'deployment.apps/api-service condition met'
        $r.Output | Should -Match 'deployment.apps/chatbot-service condition met'
    }

    It 'get -w ends at --request-timeout, and the sandbox ends the watch when kubectl goes' {
        $r = Measure-Kubectl get deployments -n real-estate-ai -w --request-timeout=5s
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE'
        $r.Output | Should -Match 'api-service\s+3/3\s+3\s+3\s+'
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-OpenWatch) -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        Get-OpenWatch | Should -Be 0
    }
}

Describe 'The pod log view' {
    BeforeAll {
        $script:Rendering = $PSStyle.OutputRendering
        $PSStyle.OutputRendering = 'PlainText'
        # As -Follow writes them: a short line first, the longer ones after the table has been laid out.
        $script:LogLines = @(Get-PodLog -Deployment api-service -Tail 4 | Sort-Object { $_.Text.Length })
    }
    AfterAll { $PSStyle.OutputRendering = $script:Rendering }

    It 'renders at <Width> columns: narrow columns first, the text last, whole and wrapped' -ForEach @(@{ Width = 80 }, @{ Width = 120 }, @{ Width = 220 }) {
        $LogLines.Count | Should -BeGreaterOrEqual 4
        ($LogLines | Measure-Object { $_.Text.Length } -Maximum).Maximum | Should -BeGreaterThan 40 -Because 'the test needs lines longer than the old cut'
        $rendered = & { $LogLines[0]; Start-Sleep -Milliseconds 700; $LogLines | Select-Object -Skip 1 } | Out-String -Width $Width
        $rows = $rendered -split "`r?`n"
        $rows | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width -Because "'$_' must fit $Width columns" }
        $rows | Where-Object { $_ -match '^TIME\s+POD\s+CONTAINER\s+TEXT$' } | Should -Not -BeNullOrEmpty -Because $rendered
        $rendered | Should -Not -Match '…'
        # Every line whole: its pod, container and text in order, the text wrapped onto the rows below when narrow.
        $squeezed = $rendered -replace '\s', ''
        foreach ($line in $LogLines) {
            $squeezed.Contains((($line.Pod + $line.Container + $line.Text) -replace '\s', '')) | Should -BeTrue -Because "'$($line.Text)' must show whole in`n$rendered"
            if ($Width -ge 120) { $rows | Where-Object { $_.EndsWith(' ' + $line.Text) } | Should -Not -BeNullOrEmpty -Because "'$($line.Text)' fits one row at $Width" }
        }
    }
}

Describe 'Kubernetes examples on the sandbox' {
    It 'Invoke-NodeMaintenance.ps1 drains each node of the group in turn and uncordons it' {
        $r = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
Use-OpsContext sandbox
& '$RepoRoot/examples/Invoke-NodeMaintenance.ps1' -NodeGroup standard-nodes -Timeout 3m -Confirm:`$false -Maintenance { param(`$n) Write-Host "maintained `$n" }
@(Get-KubeNode -NodeGroup standard-nodes | Where-Object Unschedulable).Count
"@
        $text = $r.Output -join "`n"
        $r.ExitCode | Should -Be 0 -Because $text
        foreach ($n in 'ip-10-0-1-21.ec2.internal', 'ip-10-0-2-34.ec2.internal', 'ip-10-0-3-47.ec2.internal') { $text | Should -Match "maintained $([regex]::Escape($n))" }
        $text | Should -Match 'NODE\s+STATUS\s+CORDONED\s+EVICTED'
        $text | Should -Match 'Node group standard-nodes maintained'
        $r.Output[-1] | Should -Be '0'
    }

    It 'Update-DbConnection.ps1 updates db-credentials from a piped instance and restarts the services' {
        if ($KubectlProblem) { Set-ItResult -Skipped -Because $KubectlProblem }   # it checks the secret with kubectl
        $r = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
Use-OpsContext sandbox
`$cred = [pscredential]::new('real_estate_app', (ConvertTo-SecureString 'Restored-Pw-42' -AsPlainText -Force))
`$v = [pscustomobject]@{ Address = 'real-estate-ai-db-restored.abc.us-east-1.rds.amazonaws.com'; Port = 5432 } | & '$RepoRoot/examples/Update-DbConnection.ps1' -Credential `$cred -Timeout 2m -Confirm:`$false
"verdict `$(`$v.Status)"
"@
        $text = $r.Output -join "`n"
        $r.ExitCode | Should -Be 0 -Because $text
        $text | Should -Match 'db-credentials\s+Updated\s+real-estate-ai-db-restored'
        $text | Should -Match 'api-service\s+Complete'
        $text | Should -Match 'auth-service\s+Complete'
        $text | Should -Match 'verdict Healthy'
        $text | Should -Not -Match 'Restored-Pw-42'
        $hostB64 = kc get secret db-credentials -n real-estate-ai -o 'jsonpath={.data.host}'
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($hostB64)) | Should -Be 'real-estate-ai-db-restored.abc.us-east-1.rds.amazonaws.com'
    }
}

Describe 'YamlDotNet isolation' {
    It 'reads the kubeconfig when another YamlDotNet was loaded into the session first' {
        $oldYaml = Join-Path $env:REALESTATEOPS_NUGET_PACKAGES 'yamldotnet/13.7.1/lib/net7.0/YamlDotNet.dll'
        Test-Path $oldYaml | Should -BeTrue
        $r = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$oldYaml'
"session YamlDotNet `$([YamlDotNet.Serialization.Deserializer].Assembly.GetName().Version)"
Import-Module '$ModuleManifest'
Use-OpsContext sandbox
"nodes `$(@(Get-KubeNode -NodeGroup standard-nodes).Count)"
[System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'RealEstateOps' | ForEach-Object { `$_.Assemblies.GetName() | Where-Object Name -eq 'YamlDotNet' | ForEach-Object { "module YamlDotNet `$(`$_.Version)" } }
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output | Should -Contain 'session YamlDotNet 13.0.0.0'
        $r.Output | Should -Contain 'nodes 3'
        ($r.Output | Where-Object { $_ -like 'module YamlDotNet 18.*' }) | Should -Not -BeNullOrEmpty
    }
}
