@{
    Synopsis    = 'Drains nodes like kubectl drain: cordon, evict pods with disruption budgets respected, wait until they are gone.'
    Description = @'
Invoke-NodeDrain does what kubectl drain does, in the same order. It cordons the node, lists its pods and applies kubectl's filters in kubectl's order: DaemonSet pods are skipped (-IgnoreDaemonSets is on by default, as in the runbook); mirror pods are skipped; pods with emptyDir data need -DeleteEmptyDirData; pods without a controller need -EvictUnmanaged (kubectl drain's --force; such pods are deleted for good, since nothing recreates them). -Force only skips the confirmation prompt: it never evicts more. If any pod cannot be handled, nothing is evicted: the error DrainPodsNotHandled lists which pods and why (the node stays cordoned).

Then every pod of the node is evicted at once through the policy/v1 Eviction API (or deleted with -DisableEviction). An eviction refused by a PodDisruptionBudget (429) is tried again every -EvictionRetryInterval, and the result names the blocking budget, the pod and how many healthy pods it needs; a pod selected by several budgets (500) fails. The drain waits until each evicted pod is gone (absent, or replaced by a pod with another UID), polling the node's pod list.

The output per node: Status (Drained, WhatIf, Refused, Failed, TimedOut), Evicted, Skipped with reasons, Failed with reasons, Remaining, BlockingBudgets, Warnings and Duration; each pod says what the drain did with it in its Disposition (Evicted, Skipped, NotHandled, Failed, Blocked, Terminating, NotEvicted). A failed, timed-out or interrupted (Ctrl+C) drain stops evicting and leaves the node cordoned; its error (DrainEvictionFailed, DrainTimeout) carries what is gone and what remains, and after Ctrl+C the journal (OperationStopped) and a warning say it. Several nodes (-Name array or pipeline) drain -ThrottleLimit at a time. -WhatIf lists exactly what would be evicted, skipped or refused and which budgets would block, without any change.
'@
    Parameters  = @{
        SilenceAlerts = 'Silences, for the drain, the alerts it sets off: those that name the nodes (node=~...) and PodRestartingOften and HighErrorRate in the namespaces of the pods on them. The silences last until the Kubernetes maintenance window closes (when it is open), else for -Timeout per round of -ThrottleLimit nodes, and are expired when the command ends, also after a failure or Ctrl+C; each is journaled. -WhatIf says what it would silence and creates nothing. Alertmanager is -AlertmanagerUrl, else the context''s ServiceUrls[''alertmanager''].'
        AlertmanagerUrl = 'The Alertmanager for -SilenceAlerts (http://host:9093). Defaults to the context''s ServiceUrls[''alertmanager''], which Start-OpsSandbox sets to the sandbox''s Alertmanager.'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Kubernetes maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it. For a change that cannot wait, such as an incident fix.'
        Reason = 'Why the change cannot wait for the Kubernetes window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
        Name = 'The nodes to drain. Binds by property name from Get-KubeNode output.'
        IgnoreDaemonSets = 'Skip DaemonSet-managed pods. On by default; -IgnoreDaemonSets:$false refuses nodes that run them, as kubectl without --ignore-daemonsets.'
        DeleteEmptyDirData = 'Also evict pods with emptyDir volumes; their data is lost.'
        EvictUnmanaged = 'kubectl drain''s --force: also evict pods that no controller manages (bare pods, DaemonSet pods whose DaemonSet is gone). They are deleted for good: nothing recreates them, and their work and local data are lost. Without it the drain refuses such nodes before evicting anything (DrainPodsNotHandled).'
        Force = 'Skips the confirmation prompt (never -WhatIf). It does not evict anything more: pods without a controller still need -EvictUnmanaged.'
        GracePeriod = 'Seconds each pod gets to terminate; by default the pods own terminationGracePeriodSeconds.'
        Timeout = 'How long to wait for the whole drain of one node: seconds or 90s, 10m. The default is 10 minutes.'
        DisableEviction = 'Delete the pods instead of evicting them; disruption budgets are not consulted.'
        PodSelector = 'Only evict pods matching this label selector.'
        ThrottleLimit = 'How many nodes drain at the same time (default 1, one by one).'
        EvictionRetryInterval = 'How soon an eviction refused by a disruption budget is tried again (default 2s).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Drain a node with its alerts silenced for the drain'
            Code    = 'Invoke-NodeDrain ip-10-0-1-21.ec2.internal -SilenceAlerts'
            Remarks = 'Silences the node''s alerts and PodRestartingOften/HighErrorRate of the namespaces whose pods move, drains, and expires the silences when the drain ends.'
        }
        @{
            Title   = 'Drain a node'
            Code    = 'Invoke-NodeDrain ip-10-0-1-21.ec2.internal -DeleteEmptyDirData'
            Remarks = 'The runbook''s kubectl drain node-name --ignore-daemonsets --delete-emptydir-data.'
        }
        @{
            Title   = 'Preview a drain'
            Code    = 'Invoke-NodeDrain ip-10-0-1-21.ec2.internal -DeleteEmptyDirData -WhatIf'
            Remarks = 'What would be evicted and which disruption budgets would block, without any change.'
        }
        @{
            Title   = 'Drain a node group two nodes at a time'
            Code    = 'Invoke-NodeDrain (Get-KubeNode -NodeGroup standard-nodes).Name -DeleteEmptyDirData -ThrottleLimit 2 -Confirm:$false'
            Remarks = 'Drains a node group two nodes at a time.'
        }
        @{
            Title   = 'Preview a drain that also evicts unmanaged pods'
            Code    = 'Invoke-NodeDrain ip-10-0-1-21.ec2.internal -DeleteEmptyDirData -EvictUnmanaged -WhatIf'
            Remarks = 'kubectl drain --force: pods that no controller manages would be evicted too (and deleted for good); -WhatIf lists them first.'
        }
    )
    Links       = @('Disable-NodeScheduling', 'Enable-NodeScheduling', 'Get-KubeNode')
}
