@{
    Synopsis    = 'Updates an EKS control plane to the next Kubernetes minor (update-cluster-version), refusing unsafe steps before any call.'
    Description = @'
Update-EksCluster is the runbook's aws eks update-cluster-version. The control plane moves one minor at a time and cannot go back, so before any update request it refuses a target that skips a minor (EksVersionSkip, naming the minors skipped), goes down (EksVersionDowngrade) or is the current one (EksVersionCurrent), and a cluster whose managed node groups still lag the current minor (EksNodeGroupBehind, naming them and the command that catches each up). These checks read only and run under -WhatIf too.

When EKS itself refuses because its upgrade-readiness checks fail (InvalidStateException), the error lists the failing upgrade insights for the target minor (ERROR first, then WARNING), each with EKS's recommendation and the resources it names. The request carries a clientRequestToken made once. -Wait waits until the update is Successful; Ctrl+C leaves it running on AWS and says how to resume.
'@
    Parameters  = @{
        ClusterName          = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster in the built-in default). Binds by property name.'
        KubernetesVersion    = 'The target minor: the current one plus one, e.g. 1.33.'
        Force                = 'Skips the confirmation prompt (the update cannot be undone, so it asks by default).'
        Wait                 = 'Waits until the update is Successful and writes the finished update.'
        Timeout              = 'How long -Wait waits: seconds, or 30m, 2h. The default is 1 hour.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Preview the control plane update'
            Code    = 'Update-EksCluster -KubernetesVersion 1.33 -WhatIf'
            Remarks = 'Checks the step (one minor up, node groups caught up) and says what would be done; makes no change request.'
        }
        @{
            Title   = 'A skip is refused before any call'
            Code    = 'try { Update-EksCluster -KubernetesVersion 1.35 -Force -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }'
            Remarks = 'EksVersionSkip: the control plane moves one minor at a time.'
        }
    )
    Links       = @('Get-EksCluster', 'Get-EksAddonVersion', 'Update-EksNodeGroup', 'Wait-EksUpdate')
}
