@{
    Synopsis    = 'Rolls a deployment back like kubectl rollout undo.'
    Description = @'
Undo-Deployment restores the pod template of an earlier revision (the previous one by default, or -ToRevision), with kubectl rollout undo's semantics: the revision is found among the deployment's replica sets, the template is replaced with a JSON patch, and nothing is done when the current template already matches the revision (Skipped). A paused deployment is refused (DeploymentPaused); a deployment without an earlier revision gives RolloutHistoryEmpty; an unknown revision RolloutRevisionNotFound. These are checked before any prompt, and under -WhatIf too.
'@
    Parameters  = @{
        Name = 'The deployment. Binds by property name.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
        ToRevision = 'The revision to go back to (see Get-RolloutHistory); by default the previous one.'
        Wait = 'Wait until the rollback''s rollout completes. The journal entry then covers the wait.'
        Timeout = 'How long -Wait waits. The default is 10 minutes.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Roll back to the previous revision'
            Code    = 'Undo-Deployment api-service -Wait'
            Remarks = 'Back to the previous revision, waiting for the rollout.'
        }
        @{
            Title   = 'Preview a rollback to a given revision'
            Code    = 'Undo-Deployment llm-service -ToRevision 1 -WhatIf'
            Remarks = 'What would be rolled back.'
        }
    )
    Links       = @('Get-RolloutHistory', 'Wait-Rollout')
}
