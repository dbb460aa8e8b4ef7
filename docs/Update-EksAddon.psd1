@{
    Synopsis    = 'Updates an EKS add-on, by default to the default version for the cluster''s Kubernetes minor (UpdateAddon).'
    Description = @'
Update-EksAddon updates one add-on. The version is -AddonVersion, else the default version EKS lists for -KubernetesVersion (else the control plane's current minor); a given version that the catalogue does not list for that minor is refused before any change (EksAddonVersionIncompatible). -ResolveConflicts says what happens to fields the cluster's copy changed: Overwrite (EKS's values win), None (the update fails on a conflict) or Preserve (the cluster's values are kept).

The request carries a clientRequestToken made once, so a retried call never starts a second update. It writes the update; with -Wait it waits until it is Successful, with one journal entry for both.
'@
    Parameters  = @{
        ClusterName          = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster in the built-in default). Binds by property name.'
        AddonName            = 'The add-on (vpc-cni, coredns, kube-proxy, ...). Binds by property name, e.g. from Get-EksAddonVersion.'
        AddonVersion         = 'The version to install. Left out, the default for -KubernetesVersion.'
        KubernetesVersion    = 'The minor the version must suit. Left out, the control plane''s current one. Binds by property name.'
        ResolveConflicts     = 'Overwrite, None or Preserve: what to do with fields the cluster''s copy changed.'
        Force                = 'Skips the confirmation prompt.'
        Wait                 = 'Waits until the update is Successful and writes the finished update.'
        Timeout              = 'How long -Wait waits: seconds, or 30m, 2h. The default is 30 minutes.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Preview an add-on update'
            Code    = 'Update-EksAddon -AddonName vpc-cni -WhatIf'
            Remarks = 'Says which version it would install; makes no change request.'
        }
        @{
            Title   = 'Bring every add-on to the current minor''s default'
            Code    = 'Get-EksAddonVersion | Where-Object { $_.InstalledVersion -ne $_.DefaultVersion } | Update-EksAddon -ResolveConflicts Overwrite -Force -Wait'
            Remarks = 'Updates the add-ons whose installed version is not the default for the control plane''s minor, one after the other.'
        }
    )
    Links       = @('Get-EksAddonVersion', 'Get-EksAddon', 'Wait-EksUpdate')
}
