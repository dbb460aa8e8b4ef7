@{
    Synopsis    = 'Uncordons nodes (marks them schedulable again), like kubectl uncordon.'
    Description = @'
Enable-NodeScheduling clears spec.unschedulable on each node with a strategic-merge patch, as kubectl uncordon does; a node already schedulable is left unchanged (no call). Alias: uncordon. It returns the node.
'@
    Parameters  = @{
        Name = 'The nodes to uncordon. Binds by property name from Get-KubeNode output.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Uncordon a node after maintenance'
            Code    = 'uncordon ip-10-0-1-21.ec2.internal'
            Remarks = 'The runbook''s kubectl uncordon after maintenance.'
        }
        @{
            Title   = 'Uncordon every cordoned node'
            Code    = 'Get-KubeNode | Where-Object Unschedulable | Enable-NodeScheduling'
            Remarks = 'Uncordons every cordoned node.'
        }
    )
    Links       = @('Disable-NodeScheduling', 'Invoke-NodeDrain')
}
