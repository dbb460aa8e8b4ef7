@{
    Synopsis    = 'Lists or describes EKS updates of a cluster, a node group or an add-on (ListUpdates + DescribeUpdate).'
    Description = @'
Get-EksUpdate is the runbook's aws eks describe-update. With -UpdateId it describes those updates; without, it lists the updates of the cluster (or of -NodeGroup, or of -AddonName: EKS keeps them apart) and describes each as the pipeline asks for it, so Get-EksUpdate | Select-Object -First 1 makes one list request. Each object has the status (InProgress, Successful, Failed, Cancelled), the type, params (Version, ReleaseVersion, AddonVersion, ...) and errors[] with EKS's codes (PodEvictionFailure, NodeCreationFailure, ...).
'@
    Parameters  = @{
        ClusterName          = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster in the built-in default). Binds by property name.'
        NodeGroup            = 'The updates of this node group. Binds by property name (NodeGroup, NodeGroupName).'
        AddonName            = 'The updates of this add-on. Binds by property name.'
        UpdateId             = 'Update ids to describe. Binds by property name (UpdateId, Id).'
        PageSize             = 'Ids per ListUpdates request (1 to 100). The default is 100.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'List the node group''s updates'
            Code    = 'Get-EksUpdate -NodeGroup standard-nodes'
            Remarks = 'Every update of standard-nodes with its status and errors.'
        }
        @{
            Title   = 'List the control plane''s updates'
            Code    = 'Get-EksUpdate'
            Remarks = 'The cluster''s own updates (version, platform, configuration).'
        }
    )
    Links       = @('Wait-EksUpdate', 'Update-EksNodeGroup', 'Update-EksCluster')
}
