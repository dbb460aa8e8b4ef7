@{
    Synopsis    = 'Upgrades an EKS cluster to the next Kubernetes minor, whole: pre-flight, control plane, add-ons, node groups one at a time, verification. Resumable.'
    Description = @'
Invoke-EksUpgrade finishes the Maintenance runbook's Kubernetes upgrade in one command, in the order EKS requires:

1. Pre-flight: Test-EksUpgradeReadiness. A failing check ends the command before any change (EksUpgradeNotReady, with each check's recommendation); its warnings are written as warnings. 2. Control plane: UpdateClusterVersion to the target (refused before any call when it would skip a minor or a node group still trails the control plane), waited for. 3. Add-ons: each installed add-on to the target's default version (UpdateAddon with -ResolveConflicts), waited for; an add-on already at a compatible version at least as new is left alone. 4. Node groups, one at a time: UpdateNodegroupVersion to the target (EKS adds new nodes, drains the old ones maxUnavailable at a time honouring disruption budgets, removes them), waited for with the phase as progress. 5. Verify: the control plane, every node group and every node's kubelet at the target, every add-on at a version compatible with it, every deployment of every namespace with all its replicas available (Test-Deployment's check), read again until it holds or -VerifyTimeout runs out.

Each step is one journal entry covering its update and its wait; the verification is journaled too. Progress shows the overall step and, under it, the update's phase. The result lists every step with its outcome (Succeeded, AlreadyDone, WhatIf, Declined, Failed, NotRun), the update id, the versions before and after and its duration.

Resuming: the plan is read from the cluster every time, never from a local file. Run the same command again after a Ctrl+C, a failure or a lost session: steps already at the target are AlreadyDone, and a step whose update is still running on AWS (ListUpdates/DescribeUpdate) is waited for instead of started again. Ctrl+C stops only the wait: the update goes on at AWS, and the warning names the update and both ways to resume. A failed step ends the command with that step's own error id (PodEvictionFailure, ResourceInUseException, ...), the step named, what was done before it, and the command that resumes.

-WhatIf runs the pre-flight and writes the plan (What if: lines and a result whose steps are WhatIf) with no update call. The command changes Kubernetes: when the context enforces maintenance windows it is refused outside the Kubernetes window (OutsideMaintenanceWindow) unless -IgnoreMaintenanceWindow -Reason '...'.
'@
    Parameters  = @{
        SilenceAlerts = 'Silences the cluster''s PodRestartingOften and HighErrorRate while the steps run (not when every step is done already), until the Kubernetes maintenance window closes (when it is open) or for -StepTimeout per remaining step plus -VerifyTimeout, and expires the silence when the command ends, also after a failure or Ctrl+C (journaled). -WhatIf says what it would silence and creates nothing.'
        AlertmanagerUrl = 'The Alertmanager for -SilenceAlerts (http://host:9093). Defaults to the context''s ServiceUrls[''alertmanager''], which Start-OpsSandbox sets to the sandbox''s Alertmanager.'
        ClusterName = 'The EKS cluster. Defaults to the context''s ClusterName (real-estate-ai-cluster on the sandbox).'
        KubernetesVersion = 'The target Kubernetes minor, e.g. 1.33: one above the control plane, or the control plane''s own to finish an upgrade. Defaults to the next minor, or to the control plane''s own minor while a managed node group still trails it (so that running again finishes an interrupted upgrade instead of starting the next one).'
        ResolveConflicts = 'How the add-on updates treat fields changed on the cluster (UpdateAddon''s resolveConflicts): Preserve keeps the cluster''s values, Overwrite replaces them with EKS''s, None fails the update on a conflict. The default is Preserve.'
        ForceEvictPastDisruptionBudget = 'EKS''s force for the node group updates: pods are evicted even when a PodDisruptionBudget refuses, instead of the update failing with PodEvictionFailure. Those pods'' availability is not protected. This is not -Force.'
        Force = 'Skips the confirmation prompts only. The pre-flight, the window and disruption budgets still apply (for budgets see -ForceEvictPastDisruptionBudget).'
        StepTimeout = 'How long each step''s update may take before the command stops waiting (EksUpdateWaitTimeout; the update goes on at AWS). Accepts a TimeSpan or 90s, 30m, 2h. The default is 2 hours.'
        VerifyTimeout = 'How long the final verification waits for every deployment to be available again after the nodes were replaced. The default is 10 minutes.'
        Kubeconfig = 'The kubeconfig for the cluster''s Kubernetes API (pre-flight, node phases, verification). Defaults to the context''s KubeconfigPath, else KUBECONFIG or ~/.kube/config.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Kubernetes maintenance window when the context enforces windows; needs -Reason, which every journal entry of the run carries. The pre-flight then reports the window as a Warn.'
        Reason = 'Why the upgrade cannot wait for the window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'See the plan without changing anything'
            Code    = 'Invoke-EksUpgrade -KubernetesVersion 1.33 -WhatIf'
            Remarks = 'Runs the pre-flight, then one What if: line per step (control plane, coredns, kube-proxy, vpc-cni, each node group) and the result with every step WhatIf. No update call is made.'
        }
        @{
            Title   = 'Upgrade to the next minor unattended'
            Code    = '$upgrade = Invoke-EksUpgrade -Force; $upgrade.Steps | Format-Table Number, Kind, Name, Outcome, VersionBefore, VersionAfter, UpdateId, Duration'
            Remarks = 'The whole upgrade without prompts, as a scheduled job in the Kubernetes window runs it (examples/Invoke-ClusterUpgrade.ps1 wraps it with the window check and a summary). The steps show what ran and how long each took.'
        }
        @{
            Title   = 'Resume after an interruption'
            Code    = 'Invoke-EksUpgrade -KubernetesVersion 1.33 -Force'
            Remarks = 'The same command again: steps already at 1.33 are AlreadyDone, an update still running is waited for (Resumed), and the rest runs. Nothing is read from a local file.'
        }
    )
    Links       = @('Test-EksUpgradeReadiness', 'Update-EksCluster', 'Update-EksAddon', 'Update-EksNodeGroup', 'Wait-EksUpdate', 'Test-Deployment', 'Get-MaintenanceWindow')
}
