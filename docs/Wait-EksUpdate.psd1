@{
    Synopsis    = 'Waits for an EKS update to succeed, with its phase as progress; a failure names EKS''s error codes, pods and budgets.'
    Description = @'
Wait-EksUpdate polls DescribeUpdate through the module's one waiter until the update is Successful and writes it. Progress shows the status and, for a node group, the phase read from its nodes (setup, scale up, upgrade while old nodes are cordoned and drained, scale down) with how many nodes already run the new version.

Failed or Cancelled is an error whose id is EKS's first error code (PodEvictionFailure, NodeCreationFailure, ...; EksUpdateFailed or EksUpdateCancelled when EKS gave none), listing every error with the resources it names; for PodEvictionFailure it also names the disruption budgets that refuse evictions on the group's cordoned nodes, pod by pod. The timeout is EksUpdateWaitTimeout. Ctrl+C stops only the wait: the update goes on at AWS, and a warning (and the journal, for a change with -Wait) says so with the Wait-EksUpdate command that resumes it.
'@
    Parameters  = @{
        ClusterName          = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster in the built-in default). Binds by property name.'
        NodeGroup            = 'The node group the update belongs to (DescribeUpdate needs it for a node group''s update). Binds by property name.'
        AddonName            = 'The add-on the update belongs to. Binds by property name.'
        UpdateId             = 'The update to wait for. Binds by property name (UpdateId, Id), e.g. from Update-EksNodeGroup.'
        Timeout              = 'How long to wait: seconds, or 30m, 2h. The default is 2 hours.'
        Kubeconfig           = 'The kubeconfig the nodes are read with. Defaults to the context''s KubeconfigPath, else KUBECONFIG, else ~/.kube/config.'
        KubeContext          = 'The kubeconfig context. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Wait for an update through the pipeline'
            Code    = 'Update-EksAddon -AddonName coredns -Force | Wait-EksUpdate -Timeout 20m'
            Remarks = 'Starts an add-on update and waits for it.'
        }
        @{
            Title   = 'Wait for the latest node group update'
            Code    = 'Get-EksUpdate -NodeGroup standard-nodes | Select-Object -First 1 | Wait-EksUpdate'
            Remarks = 'Resumes waiting for an update started earlier (e.g. after Ctrl+C).'
        }
    )
    Links       = @('Get-EksUpdate', 'Update-EksNodeGroup', 'Update-EksCluster', 'Update-EksAddon')
}
