@{
    Synopsis    = 'Sets a deployment''s replica count like kubectl scale; -Wait waits for the replicas to be ready.'
    Description = @'
Set-DeploymentScale sets spec.replicas through the deployment's scale subresource (autoscaling/v1 Scale, a merge patch as kubectl scale sends it) and returns a DeploymentScale with PreviousReplicas, Replicas and CurrentReplicas. Nothing is sent when the count already is the one asked for. Scaling to 0 stops the service and is refused (DeploymentScaleToZeroRefused) unless -AllowZero is given; -Force never allows it. With -Wait it waits like Wait-Rollout until the deployment runs the new count of ready replicas, with progress, and the change and its wait are one journal entry.

It is the incident runbook's "scale up" mitigation (overloaded services, LLM service degradation). It asks for confirmation (ConfirmImpact Medium) and takes -WhatIf.
'@
    Parameters  = @{
        Name = 'The deployment. Binds by property name from Get-KubeDeployment output.'
        Replicas = 'The number of replicas to run (0 only with -AllowZero).'
        AllowZero = 'Allow scaling to 0 replicas, which stops the service.'
        Wait = 'Wait until the deployment runs that many ready replicas. The journal entry then covers the wait.'
        Timeout = 'How long -Wait waits: seconds or 90s, 10m. The default is 10 minutes.'
        Force = 'Skip the confirmation prompt (never -WhatIf, and never allows 0 replicas).'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Scale up the API during an incident and wait for the new pods'
            Code    = 'Set-DeploymentScale api-service 5 -Wait'
            Remarks = 'kubectl scale deployment/api-service --replicas=5, then kubectl rollout status.'
        }
        @{
            Title   = 'Stop a service on purpose'
            Code    = 'Set-DeploymentScale proposal-service 0 -AllowZero -WhatIf'
            Remarks = 'Scaling to zero needs its own switch; -WhatIf shows the plan.'
        }
    )
    Links       = @('Wait-Rollout', 'Get-KubeDeployment', 'Restart-Deployment')
}
