@{
    Synopsis    = 'Updates an EKS managed node group to a Kubernetes version or AMI release (update-nodegroup-version), optionally waiting for it.'
    Description = @'
Update-EksNodeGroup is the runbook's aws eks update-nodegroup-version. EKS then replaces every node: it starts new nodes at the version, cordons the old ones, drains them up to updateConfig's maxUnavailable at a time honouring PodDisruptionBudgets, terminates them and scales back. A budget that still refuses an eviction makes the update fail with PodEvictionFailure; -ForceEvictPastDisruptionBudget (EKS's force) evicts past it instead. -Force only skips the confirmation prompt.

Before any change it checks that the version does not lead the control plane (EksNodeGroupAhead: a kubelet never may) and that -LaunchTemplateVersion has a launch template to apply to (EksLaunchTemplateNotSet). The request carries a clientRequestToken made once, so a retried call never starts a second update. It writes the update (Get-EksUpdate, Wait-EksUpdate take it from the pipeline); with -Wait it waits with the phase as progress and writes the finished update, and the journal has one entry for both. Ctrl+C during -Wait leaves the update running on AWS and says how to resume waiting.
'@
    Parameters  = @{
        SilenceAlerts = 'With -Wait: silences the cluster''s PodRestartingOften and HighErrorRate while the nodes are replaced, until the Kubernetes maintenance window closes (when it is open) or for -Timeout, and expires the silence when the command ends, also after a failure or Ctrl+C (journaled). Without -Wait it is refused (SilenceAlertsNeedsWait). -WhatIf says what it would silence and creates nothing.'
        AlertmanagerUrl = 'The Alertmanager for -SilenceAlerts (http://host:9093). Defaults to the context''s ServiceUrls[''alertmanager''], which Start-OpsSandbox sets to the sandbox''s Alertmanager.'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Kubernetes maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it. For a change that cannot wait, such as an incident fix.'
        Reason = 'Why the change cannot wait for the Kubernetes window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
        ClusterName          = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster in the built-in default). Binds by property name.'
        NodeGroup            = 'The node group. Defaults to the context''s NodeGroup. Binds by property name (NodeGroup, NodeGroupName).'
        KubernetesVersion    = 'The Kubernetes minor, e.g. 1.33. Left out, EKS uses the control plane''s version.'
        ReleaseVersion       = 'An AMI release version (e.g. 1.33.4-20250904). Left out, the latest release for the version.'
        LaunchTemplateVersion = 'A version of the node group''s own launch template; its name or id is read from the node group.'
        ForceEvictPastDisruptionBudget = 'EKS''s force: evict pods even when a PodDisruptionBudget refuses, instead of failing the update with PodEvictionFailure. Pods go down past what their budget allows.'
        Force                = 'Skips the confirmation prompt. It never affects disruption budgets (that is -ForceEvictPastDisruptionBudget).'
        Wait                 = 'Waits until the update is Successful (Failed or Cancelled is an error with EKS''s error codes) and writes the finished update.'
        Timeout              = 'How long -Wait waits: seconds, or 30m, 2h. The default is 2 hours.'
        Kubeconfig           = 'The kubeconfig the nodes are read with. Defaults to the context''s KubeconfigPath, else KUBECONFIG, else ~/.kube/config.'
        KubeContext          = 'The kubeconfig context. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for eks, then AWS_ENDPOINT_URL_EKS/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Preview the node group update'
            Code    = 'Update-EksNodeGroup -NodeGroup standard-nodes -WhatIf'
            Remarks = 'Says what would be replaced; makes no change request.'
        }
        @{
            Title   = 'Update the nodes to the control plane''s version and wait'
            Code    = 'Update-EksNodeGroup -NodeGroup standard-nodes -Force -Wait -Timeout 30m'
            Remarks = 'Starts the update without a prompt and waits with the phase (scale up, draining old nodes, scale down) as progress.'
        }
        @{
            Title   = 'Start now, wait later'
            Code    = '$u = Update-EksNodeGroup -Force; $u | Wait-EksUpdate'
            Remarks = 'The update object carries what Wait-EksUpdate needs.'
        }
    )
    Links       = @('Get-EksNodeGroup', 'Wait-EksUpdate', 'Update-EksCluster')
}
