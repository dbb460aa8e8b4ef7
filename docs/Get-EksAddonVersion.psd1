@{
    Synopsis    = 'Shows, per add-on, the default and latest version for a Kubernetes minor and whether the installed one is compatible (describe-addon-versions).'
    Description = @'
Get-EksAddonVersion is the runbook's aws eks describe-addon-versions --kubernetes-version. For each add-on installed on the cluster (or those named, or with -All the whole catalogue for the minor) it gives the version EKS installs by default on that minor, the latest compatible one, every compatible version, the installed version, and whether the installed version is among the compatible ones: the add-ons to update with the control plane are those where IsInstalledCompatible is false.

-KubernetesVersion defaults to the control plane's current minor; give the target minor before an upgrade. One DescribeAddonVersions request per add-on (by name), made as the pipeline asks.
'@
    Parameters  = @{
        ClusterName          = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster in the built-in default). Binds by property name.'
        KubernetesVersion    = 'The minor the versions must suit, e.g. 1.33. Left out, the control plane''s current one.'
        AddonName            = 'Add-on names. Left out, the installed add-ons. Binds by property name.'
        All                  = 'The whole catalogue for the minor, installed or not.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Check the add-ons against the next minor'
            Code    = 'Get-EksAddonVersion -KubernetesVersion 1.33'
            Remarks = 'Default and latest version per installed add-on, and whether each installed version suits 1.33.'
        }
        @{
            Title   = 'Only those that must move'
            Code    = 'Get-EksAddonVersion -KubernetesVersion 1.33 | Where-Object IsInstalledCompatible -eq $false'
            Remarks = 'The add-ons whose installed version does not suit 1.33.'
        }
    )
    Links       = @('Update-EksAddon', 'Get-EksAddon', 'Update-EksCluster')
}
