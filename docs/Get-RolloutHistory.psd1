@{
    Synopsis    = 'Lists a deployments revisions like kubectl rollout history.'
    Description = @'
Get-RolloutHistory lists the revisions of a deployment (its replica sets), oldest first, with the change cause, images, replica set and which revision is current.
'@
    Parameters  = @{
        Name = 'The deployments. Binds by property name.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'List the revisions of a deployment'
            Code    = 'Get-RolloutHistory api-service'
            Remarks = 'The revisions of api-service.'
        }
        @{
            Title   = 'Show the two newest revisions'
            Code    = 'Get-RolloutHistory api-service | Select-Object -Last 2'
            Remarks = 'The two newest revisions.'
        }
    )
    Links       = @('Undo-Deployment')
}
