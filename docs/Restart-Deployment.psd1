@{
    Synopsis    = 'Restarts deployments like kubectl rollout restart; -Wait waits for the rollout.'
    Description = @'
Restart-Deployment sets the pod template's kubectl.kubernetes.io/restartedAt annotation to now, as kubectl rollout restart does, so the deployment rolls its pods. A paused deployment is refused (DeploymentPaused); an unknown one is DeploymentNotFound. With -Wait it then waits like Wait-Rollout, and the restart and its wait are one journal entry whose duration covers the wait; a wait that times out or is stopped (Ctrl+C) is journaled as Failed with a message that the restart itself was made, and Ctrl+C says on the host that the rollout goes on. It returns a RolloutStatus.
'@
    Parameters  = @{
        IgnoreMaintenanceWindow = 'Goes ahead outside the Application maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it. For a change that cannot wait, such as an incident fix.'
        Reason = 'Why the change cannot wait for the Application window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
        Name = 'The deployments to restart. Binds by property name from Get-KubeDeployment output.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
        Wait = 'Wait until the rollout completes (kubectl rollout status). The journal entry then covers the wait.'
        Timeout = 'How long -Wait waits: seconds or 90s, 10m. The default is 10 minutes.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Restart services and wait for their rollouts'
            Code    = 'Restart-Deployment api-service, auth-service -Wait'
            Remarks = 'The recovery runbook''s restarts, waiting for both rollouts. The journal entry of each restart covers its wait.'
        }
        @{
            Title   = 'Preview the restart of every service'
            Code    = 'Get-KubeDeployment *-service | Restart-Deployment -WhatIf'
            Remarks = 'What would be restarted.'
        }
    )
    Links       = @('Wait-Rollout', 'Undo-Deployment', 'Set-DbConnectionSecret')
}
