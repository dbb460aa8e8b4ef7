@{
    Synopsis    = 'Checks whether an EKS cluster is ready for a Kubernetes minor upgrade: one Pass, Warn or Fail verdict per check.'
    Description = @'
Test-EksUpgradeReadiness is the pre-flight of the Maintenance runbook's Kubernetes upgrade, and the first step Invoke-EksUpgrade takes. It reads the cluster (EKS and its Kubernetes API) and changes nothing. Each verdict names its check, the subject (cluster/..., nodegroup/..., node/..., addon/..., insight/..., pdb/namespace/name, window/Kubernetes), what was found and, for Warn and Fail, what to do:

ControlPlaneVersion: the control plane is one minor below the target (EKS moves it one minor at a time), or already at it when an earlier run moved it. UpdateInProgress: updates of the cluster, its node groups or add-ons still running (Invoke-EksUpgrade waits for them instead of starting others). VersionSkew: per managed node group and per node (kubelet versions from the Kubernetes API), a kubelet may trail the control plane by up to three minors and never lead it; a node group that still trails the current control plane blocks the control-plane update. AddonCompatibility: an installed add-on without any version for the target fails; one whose installed version does not support the target is a Warn, naming the version the upgrade moves it to (the target's default). UpgradeInsight: EKS's upgrade insights for the target (category UPGRADE_READINESS) with deprecated or removed APIs still in use, the clients calling them and EKS's recommendation; ERROR fails. DisruptionBudget: the drain's own prediction (as Invoke-NodeDrain -WhatIf) for every node the upgrade replaces: a budget that allows no eviction at all fails (EKS would end the node group update with PodEvictionFailure), one that only makes a second pod wait for its replacement is a Warn. NodeGroupUpdateConfig: updateConfig maxUnavailable (or maxUnavailablePercentage) of 0 fails; more nodes out at once than the pods' requests leave room for is a Warn. MaintenanceWindow: whether now is inside the Kubernetes maintenance window; outside it fails when the context enforces windows.

When a check fails, an EksUpgradeNotReady error follows the verdicts (non-terminating: -ErrorAction Stop ends a script there, and $? is false); -Quiet writes only $true or $false. Without -KubernetesVersion the target is the next minor, or the control plane's own while node groups still trail it (an unfinished upgrade).
'@
    Parameters  = @{
        ClusterName = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster on the sandbox).'
        KubernetesVersion = 'The target Kubernetes minor, e.g. 1.33 (v1.33 is accepted). Defaults to the next minor after the control plane''s, or to the control plane''s own minor while a managed node group still trails it.'
        Quiet = 'Writes only $true when no check fails, else $false, and no error: for if (Test-EksUpgradeReadiness -Quiet) { ... }.'
        Kubeconfig = 'The kubeconfig for the cluster''s Kubernetes API (nodes, disruption budgets, pods). Defaults to the context''s KubeconfigPath, else KUBECONFIG or ~/.kube/config.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Check the cluster before upgrading to 1.33'
            Code    = 'Test-EksUpgradeReadiness -KubernetesVersion 1.33 -ErrorVariable notReady -ErrorAction SilentlyContinue'
            Remarks = 'Every verdict as a table: RESULT, CHECK, SUBJECT, DETAIL. On the sandbox (control plane 1.32) coredns and kube-proxy are a Warn: their installed versions do not support 1.33, and the upgrade moves them right after the control plane. $notReady holds the EksUpgradeNotReady error when a check fails.'
        }
        @{
            Title   = 'Only what needs attention, with the recommendation'
            Code    = 'Test-EksUpgradeReadiness -ErrorAction SilentlyContinue | Where-Object Result -ne Pass | Format-List Result, Check, Subject, Detail, Recommendation'
            Remarks = 'The Warn and Fail verdicts for the next minor, each with what to do about it.'
        }
        @{
            Title   = 'Gate a scheduled script on the pre-flight'
            Code    = 'if (-not (Test-EksUpgradeReadiness -KubernetesVersion 1.33 -Quiet)) { Write-Warning ''Not ready for 1.33: see Test-EksUpgradeReadiness'' }'
            Remarks = '-Quiet writes $true when no check fails (Warn does not count), else $false.'
        }
    )
    Links       = @('Invoke-EksUpgrade', 'Get-EksAddonVersion', 'Get-EksNodeGroup', 'Invoke-NodeDrain', 'Test-MaintenanceWindow')
}
