@{
    Synopsis    = 'Shows the add-ons installed on an EKS cluster: version, status, health.'
    Description = @'
Get-EksAddon lists the cluster's add-ons (ListAddons, each described as the pipeline asks for it, so Get-EksAddon | Select-Object -First 1 makes one list request) or describes those named (wildcards allowed): vpc-cni, coredns, kube-proxy, ... with their version, status (ACTIVE, UPDATING, DEGRADED, ...) and health issues. An add-on that is not installed is ResourceNotFoundException.
'@
    Parameters  = @{
        ClusterName          = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster in the built-in default). Binds by property name.'
        AddonName            = 'Add-on names; wildcards are allowed. Left out, every installed add-on. Binds by property name.'
        PageSize             = 'Names per ListAddons request (1 to 100). The default is 100.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'List the installed add-ons'
            Code    = 'Get-EksAddon'
            Remarks = 'vpc-cni, coredns, kube-proxy, ... with version, status and health.'
        }
        @{
            Title   = 'Show one add-on'
            Code    = 'Get-EksAddon coredns'
            Remarks = 'Its version and health.'
        }
    )
    Links       = @('Get-EksAddonVersion', 'Update-EksAddon')
}
