@{
    Synopsis    = 'Cordons nodes (marks them unschedulable), like kubectl cordon.'
    Description = @'
Disable-NodeScheduling sets spec.unschedulable on each node with a strategic-merge patch, as kubectl cordon does; a node already cordoned is left unchanged (no call). It returns the node. Alias: cordon. -WhatIf makes no change; every change is journaled. An unknown node is NodeNotFound.
'@
    Parameters  = @{
        IgnoreMaintenanceWindow = 'Goes ahead outside the Kubernetes maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it. For a change that cannot wait, such as an incident fix.'
        Reason = 'Why the change cannot wait for the Kubernetes window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
        Name = 'The nodes to cordon. Binds by property name from Get-KubeNode output.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Cordon one node'
            Code    = 'cordon ip-10-0-1-21.ec2.internal'
            Remarks = 'Stops new pods from being scheduled on the node.'
        }
        @{
            Title   = 'Cordon a whole node group'
            Code    = 'Disable-NodeScheduling (Get-KubeNode -NodeGroup standard-nodes).Name -Confirm:$false'
            Remarks = 'Cordons every node of a node group, without a prompt for each.'
        }
    )
    Links       = @('Enable-NodeScheduling', 'Invoke-NodeDrain')
}
