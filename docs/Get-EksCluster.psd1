@{
    Synopsis    = 'Shows EKS clusters: status, Kubernetes version, platform version, endpoint, health.'
    Description = @'
Get-EksCluster is the runbook's aws eks describe-cluster. With names (wildcards allowed) it describes those clusters; without, it lists every cluster (ListClusters, page by page, each described as the pipeline asks for it, so Get-EksCluster | Select-Object -First 1 makes one list request). A cluster that does not exist is ResourceNotFoundException, EKS's own code.

The objects carry Name, Status (ACTIVE, UPDATING, ...), Version (the control plane's minor), PlatformVersion, Endpoint, CreatedAt, health issues and the certificate authority data a kubeconfig needs.
'@
    Parameters  = @{
        Name                 = 'Cluster names; wildcards are allowed. Left out, every cluster. Binds by property name (Name, ClusterName).'
        PageSize             = 'Names per ListClusters request (1 to 100). The default is 100.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Show the platform cluster'
            Code    = 'Get-EksCluster real-estate-ai-cluster'
            Remarks = 'Status, version and endpoint of the runbook''s cluster.'
        }
        @{
            Title   = 'List every cluster'
            Code    = 'Get-EksCluster'
            Remarks = 'Every cluster of the account and region.'
        }
        @{
            Title   = 'Check the control plane version before an upgrade'
            Code    = '(Get-EksCluster real-estate-ai-cluster).Version'
            Remarks = 'The minor the control plane runs, e.g. 1.32.'
        }
    )
    Links       = @('Get-EksNodeGroup', 'Update-EksCluster', 'Get-EksAddonVersion')
}
