@{
    Synopsis    = 'Shows EKS managed node groups with their nodes: version, release, scaling, maxUnavailable, health, and each node''s kubelet.'
    Description = @'
Get-EksNodeGroup is the runbook's aws eks describe-nodegroup, joined with the cluster's own view of the group: the nodes labelled eks.amazonaws.com/nodegroup=<group>, each with its kubelet version, readiness and whether it is schedulable (cordoned nodes are not). That is what an upgrade changes: during Update-EksNodeGroup the table shows old and new kubelets side by side.

The node group comes from -NodeGroup, else the context's NodeGroup; -All lists every group of the cluster (ListNodegroups, page by page, each described as the pipeline asks). The nodes are read with the context's kubeconfig; when the cluster cannot be reached the groups are shown without nodes and a warning says why. -NoNodes reads EKS only.
'@
    Parameters  = @{
        ClusterName          = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster in the built-in default). Binds by property name.'
        NodeGroup            = 'Node group names; wildcards are allowed. Defaults to the context''s NodeGroup (standard-nodes in the built-in default). Binds by property name (NodeGroup, NodeGroupName).'
        All                  = 'Every node group of the cluster, whatever the context''s NodeGroup says.'
        NoNodes              = 'Only EKS''s answer: the nodes are not read from the cluster.'
        PageSize             = 'Names per ListNodegroups request (1 to 100). The default is 100.'
        Kubeconfig           = 'The kubeconfig the nodes are read with. Defaults to the context''s KubeconfigPath, else KUBECONFIG, else ~/.kube/config.'
        KubeContext          = 'The kubeconfig context. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Show the runbook''s node group'
            Code    = 'Get-EksNodeGroup'
            Remarks = 'standard-nodes (the context''s NodeGroup) with its scaling, maxUnavailable and nodes.'
        }
        @{
            Title   = 'See each node''s kubelet during an upgrade'
            Code    = 'Get-EksNodeGroup standard-nodes | Select-Object -ExpandProperty Nodes'
            Remarks = 'One row per node: kubelet version, Ready, schedulable.'
        }
        @{
            Title   = 'List every node group'
            Code    = 'Get-EksNodeGroup -All'
            Remarks = 'Every managed node group of the cluster.'
        }
    )
    Links       = @('Update-EksNodeGroup', 'Get-KubeNode', 'Invoke-NodeDrain')
}
