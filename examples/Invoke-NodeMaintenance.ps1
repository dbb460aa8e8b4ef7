<#
.SYNOPSIS
    Node maintenance for a whole node group, one node at a time: check the platform, drain the node,
    wait until every deployment is rolled out again, run the maintenance, uncordon, check again.
.DESCRIPTION
    The runbook's "kubectl drain node-name --ignore-daemonsets --delete-emptydir-data ... kubectl uncordon
    node-name", for every node of a node group, with checks between nodes so that a problem stops the
    maintenance before the next node is touched. A node whose drain fails stays cordoned, and the script
    stops with the drain's error (which pods are gone, which remain, which disruption budget blocked).
.PARAMETER NodeGroup
    The EKS node group (label eks.amazonaws.com/nodegroup); by default the context's node group.
.PARAMETER Maintenance
    What to do with each drained node (patch, reboot, replace); it receives the node name. By default nothing.
.PARAMETER Timeout
    How long one node's drain, and the rollouts after it, may take.
.EXAMPLE
    ./examples/Invoke-NodeMaintenance.ps1 -NodeGroup standard-nodes -Maintenance { param($node) Write-Host "patching $node" }
.EXAMPLE
    ./examples/Invoke-NodeMaintenance.ps1 -WhatIf
    Lists, per node, what would be evicted and which disruption budgets would block, without any change.
#>
#Requires -Modules RealEstateOps
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [string] $NodeGroup = (Get-OpsContext | Where-Object IsActive | Select-Object -First 1 -ExpandProperty NodeGroup),
    [scriptblock] $Maintenance = { param($node) },
    [string] $Timeout = '10m',
    [string] $Context
)
$ErrorActionPreference = 'Stop'
if ($Context) { Use-OpsContext $Context }

function Assert-Platform([string] $When) {
    $verdict = Test-Deployment
    Write-Host ("  platform {0}: {1}{2}" -f $When, $verdict.Status, $(if ($verdict.Reasons) { ' - ' + ($verdict.Reasons -join '; ') } else { '' }))
    if ($verdict.Status -eq 'Failed') { throw "The platform is failing ($When); stopping the maintenance: $($verdict.Reasons -join '; ')" }
}

$nodes = @(Get-KubeNode -NodeGroup $NodeGroup | Sort-Object Name)
if ($nodes.Count -eq 0) { throw "Node group '$NodeGroup' has no nodes." }
Write-Host "== Maintenance of node group $NodeGroup ($($nodes.Count) nodes)" -ForegroundColor Cyan

foreach ($node in $nodes) {
    Write-Host "== $($node.Name)" -ForegroundColor Cyan
    if ($WhatIfPreference) {
        Invoke-NodeDrain $node.Name -DeleteEmptyDirData -WhatIf | Format-List Node, Evicted, Skipped, Failed, BlockingBudgets | Out-Host
        continue
    }
    if (-not $PSCmdlet.ShouldProcess($node.Name, 'Drain, maintain and uncordon')) { continue }
    Assert-Platform 'before'
    $drain = Invoke-NodeDrain $node.Name -DeleteEmptyDirData -Timeout $Timeout -Confirm:$false
    $drain | Format-Table -AutoSize | Out-Host
    foreach ($block in $drain.BlockingBudgets) { Write-Host "  waited for disruption budget $($block.Budget) ($($block.Pod): needed $($block.NeedsHealthy) healthy)" }
    # Replacements of the evicted pods must be running elsewhere before the next node goes.
    Get-KubeDeployment | Wait-Rollout -Timeout $Timeout | Out-Null
    & $Maintenance $node.Name
    Enable-NodeScheduling $node.Name -Confirm:$false | Format-Table -AutoSize | Out-Host
    Assert-Platform 'after'
}
Write-Host "== Node group $NodeGroup maintained" -ForegroundColor Green
