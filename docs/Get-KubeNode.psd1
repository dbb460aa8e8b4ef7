@{
    Synopsis    = 'Lists nodes like kubectl get nodes; -NodeGroup selects an EKS node group.'
    Description = @'
Get-KubeNode lists nodes with kubectl's STATUS (Ready or NotReady, with SchedulingDisabled when cordoned), ROLES, AGE and VERSION columns, plus the EKS node group, instance type, zone, internal IP and allocatable CPU and memory. -NodeGroup selects the nodes of one node group by the eks.amazonaws.com/nodegroup label, so Get-KubeNode -NodeGroup standard-nodes | Invoke-NodeDrain drains a whole group.
'@
    Parameters  = @{
        Name = 'Node names; wildcards are allowed.'
        NodeGroup = 'The EKS node group (label eks.amazonaws.com/nodegroup), for example standard-nodes.'
        Selector = 'A label selector for nodes.'
        PageSize = 'Items fetched per request (the API limit); the continue token fetches the next page. The default is 500.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'List the nodes of a node group'
            Code    = 'Get-KubeNode -NodeGroup standard-nodes'
            Remarks = 'The nodes of the standard node group.'
        }
        @{
            Title   = 'Find cordoned nodes'
            Code    = 'Get-KubeNode | Where-Object Unschedulable'
            Remarks = 'Nodes that are cordoned.'
        }
    )
    Links       = @('Invoke-NodeDrain', 'Get-NodeUsage')
}
