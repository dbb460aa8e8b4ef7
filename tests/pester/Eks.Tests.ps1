# The EKS cmdlets on the sandbox's EKS: lists stream (Select-Object -First 1 is one list request), -WhatIf and refused
# steps make no update request, a node group update replaces the nodes, and a disruption budget that never lets go
# fails the update with PodEvictionFailure naming the pods and budgets.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -Speed 300
    $script:Url = $Sandbox.Url.TrimEnd('/')
    $script:Control = Get-SandboxControlHeader $Sandbox

    function script:Get-Count([string] $Operation) {
        $n = (Invoke-RestMethod "$script:Url/_sandbox/requests" -Headers $script:Control).operations."eks:$Operation"
        if ($n) { [long]$n } else { 0L }
    }
    function script:Reset-Counts { Invoke-RestMethod -Method Delete "$script:Url/_sandbox/requests" -Headers $script:Control | Out-Null }
    function script:Get-UpdateRequests { (Get-Count 'UpdateClusterVersion') + (Get-Count 'UpdateNodegroupVersion') + (Get-Count 'UpdateAddon') }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'EKS lists stream' {
    It '<Command> | Select-Object -First 1 makes exactly one <Operation> request' -ForEach @(
        @{ Command = 'Get-EksNodeGroup -All -NoNodes -PageSize 1'; Operation = 'ListNodegroups' }
        @{ Command = 'Get-EksAddon -PageSize 1'; Operation = 'ListAddons' }
        @{ Command = 'Get-EksCluster -PageSize 1'; Operation = 'ListClusters' }
        @{ Command = 'Get-EksAddonVersion -KubernetesVersion 1.33'; Operation = 'DescribeAddonVersions' }
    ) {
        Reset-Counts
        $first = Invoke-Expression "$Command | Select-Object -First 1"
        @($first).Count | Should -Be 1
        Get-Count $Operation | Should -Be 1
    }

    It 'Get-EksNodeGroup shows the nodes with their kubelets from the cluster' {
        $g = Get-EksNodeGroup
        $g.NodeGroupName | Should -Be 'standard-nodes'
        $g.NodesRead | Should -BeTrue
        $g.Nodes.Count | Should -Be $g.DesiredSize
        $g.Nodes | ForEach-Object { $_.KubeletMinor | Should -Be $g.Version }
    }

    It 'the views read at 80 and 120 columns' {
        foreach ($width in 80, 120) {
            $text = Get-EksNodeGroup | Format-Table | Out-String -Width $width
            $text | Should -Match 'standard-nodes'
            ($text -split "`n" | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual $width
            (Get-EksAddonVersion -KubernetesVersion 1.33 | Format-Table | Out-String -Width $width) | Should -Match 'vpc-cni'
        }
    }
}

Describe 'EKS changes' {
    It '-WhatIf makes no update request' {
        Reset-Counts
        Update-EksNodeGroup -WhatIf
        Update-EksCluster -KubernetesVersion ((Get-EksCluster real-estate-ai-cluster).Version -replace '\.(\d+)$', { '.' + ([int]$_.Groups[1].Value + 1) }) -WhatIf
        Update-EksAddon -AddonName vpc-cni -WhatIf
        Get-UpdateRequests | Should -Be 0
    }

    It 'Update-EksCluster refuses a skipped minor before any update request' {
        Reset-Counts
        $err = $null
        Update-EksCluster -KubernetesVersion 1.35 -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EksVersionSkip,*'
        Get-UpdateRequests | Should -Be 0
    }

    It 'a budget that never lets go fails the node group update with PodEvictionFailure naming the pods' {
        $env:KUBECONFIG = $Sandbox.KubeconfigPath
        try {
            $pdb = Join-Path $TestHome 'frozen-pdb.yaml'
            Set-Content $pdb @'
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: api-service-frozen, namespace: real-estate-ai }
spec: { maxUnavailable: 0, selector: { matchLabels: { app: api-service } } }
'@
            Invoke-Client kubectl apply -f $pdb | Out-Null
            $LASTEXITCODE | Should -Be 0
            $err = $null
            Update-EksNodeGroup -Force -Wait -Timeout 10m -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PodEvictionFailure,*'
            "$($err[0])" | Should -Match 'real-estate-ai/api-service-'
            "$($err[0])" | Should -Match 'api-service-frozen'
            (Get-EksUpdate -NodeGroup standard-nodes | Select-Object -First 1).ErrorCodes | Should -Be 'PodEvictionFailure'
        } finally {
            Invoke-Client kubectl delete pdb api-service-frozen -n real-estate-ai --ignore-not-found | Out-Null
            $env:KUBECONFIG = $null
        }
    }

    It 'Update-EksNodeGroup -Wait replaces every node with one at the new release and journals one entry' {
        $u = Update-EksNodeGroup -Force -Wait -Timeout 10m
        $u.Status | Should -Be 'Successful'
        $g = Get-EksNodeGroup
        $g.Status | Should -Be 'ACTIVE'
        $g.Nodes.Count | Should -Be $g.DesiredSize
        $g.Nodes | ForEach-Object { $_.IsSchedulable | Should -BeTrue }
        $entry = Get-OpsJournal -Command Update-EksNodeGroup | Select-Object -Last 1
        $entry.Command | Should -Be 'Update-EksNodeGroup'
        $entry.Outcome | Should -Be 'Succeeded'
    }
}
