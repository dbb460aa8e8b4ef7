@{
    Synopsis    = 'Lists deployments like kubectl get deployments, streamed page by page.'
    Description = @'
Get-KubeDeployment lists deployments with kubectl's READY, UP-TO-DATE, AVAILABLE and AGE columns, and carries the revision, images, selector, generation and whether the deployment is paused. Namespace from -Namespace or the context; -AllNamespaces for every namespace. -Name takes wildcards; an unknown exact name is DeploymentNotFound.
'@
    Parameters  = @{
        Name = 'Deployment names; wildcards are allowed.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        AllNamespaces = 'Lists across all namespaces instead of one.'
        Selector = 'A label selector, as kubectl -l takes it: app=api-service, tier in (web,api), !canary.'
        PageSize = 'Items fetched per request (the API limit); the continue token fetches the next page. The default is 500.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'List the deployments'
            Code    = 'Get-KubeDeployment'
            Remarks = 'Every deployment of the platform namespace.'
        }
        @{
            Title   = 'Restart every service, one rollout at a time'
            Code    = 'Get-KubeDeployment *-service | Restart-Deployment -Wait'
            Remarks = 'Restarts every service deployment, one after the other, waiting for each rollout.'
        }
    )
    Links       = @('Test-Deployment', 'Restart-Deployment', 'Get-RolloutHistory')
}
