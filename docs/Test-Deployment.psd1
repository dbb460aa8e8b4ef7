@{
    Synopsis    = 'Verifies deployments as the runbook''s "Verify Deployment" step and returns one verdict.'
    Description = @'
Test-Deployment checks, for each deployment of the namespace (or those named): desired, updated, ready and available replicas; pods that are not ready; containers crash-looping (CrashLoopBackOff) or restarted within -RestartWindow; and services (in front of the checked deployments) without ready endpoints.

It returns one DeploymentVerification: Status is Failed when a deployment has no available replica or exceeded its progress deadline, Degraded for anything short of that, and Healthy otherwise; Reasons lists why, and Deployments holds the per-deployment details. Scheduled scripts assert on it: if ((Test-Deployment).Status -ne 'Healthy') { ... }. An unknown deployment is DeploymentNotFound; an unknown namespace NamespaceNotFound.
'@
    Parameters  = @{
        Name = 'Deployments to check; wildcards are allowed. By default every deployment of the namespace.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        RestartWindow = 'Container restarts within this window count as recent: seconds or 30s, 15m, 1h. The default is 15 minutes.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Check the whole platform namespace'
            Code    = 'Test-Deployment'
            Remarks = 'The verdict for the whole platform namespace.'
        }
        @{
            Title   = 'Show per-deployment details'
            Code    = '(Test-Deployment api-service, auth-service).Deployments | Format-Table'
            Remarks = 'Per-deployment details after a restart.'
        }
        @{
            Title   = 'Gate a scheduled script on health'
            Code    = 'if ((Test-Deployment).Status -ne ''Healthy'') { exit 1 }'
            Remarks = 'A health gate in a scheduled script.'
        }
    )
    Links       = @('Get-KubeDeployment', 'Wait-Rollout')
}
