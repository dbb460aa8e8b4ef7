@{
    Synopsis    = 'Waits for a deployment rollout like kubectl rollout status.'
    Description = @'
Wait-Rollout polls the deployment until its rollout is complete, with kubectl rollout status's semantics: the spec update must be observed (observedGeneration), all replicas updated, no old replicas left and every updated replica available. A rollout whose Progressing condition says ProgressDeadlineExceeded fails (RolloutFailed); -Timeout gives RolloutTimeout. Progress is shown while waiting; Ctrl+C stops at once.
'@
    Parameters  = @{
        Name = 'The deployments to wait for. Binds by property name.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
        Timeout = 'How long to wait: seconds or 90s, 10m. The default is 10 minutes.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Wait for one rollout'
            Code    = 'Wait-Rollout api-service -Timeout 5m'
            Remarks = 'The runbook''s kubectl rollout status deployment/api-service.'
        }
        @{
            Title   = 'Wait for every deployment'
            Code    = 'Get-KubeDeployment | Wait-Rollout'
            Remarks = 'Waits until every deployment is rolled out.'
        }
    )
    Links       = @('Restart-Deployment', 'Undo-Deployment')
}
