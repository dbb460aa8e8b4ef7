@{
    Synopsis    = 'Lists services like kubectl get services, streamed page by page.'
    Description = @'
Get-KubeService lists services with kubectl's TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S) and AGE columns, and their selector. Namespace from -Namespace or the context, or -AllNamespaces.
'@
    Parameters  = @{
        Name = 'Service names; wildcards are allowed.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        AllNamespaces = 'Lists across all namespaces instead of one.'
        Selector = 'A label selector, as kubectl -l takes it: app=api-service, tier in (web,api), !canary.'
        PageSize = 'Items fetched per request (the API limit); the continue token fetches the next page. The default is 500.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'List the services'
            Code    = 'Get-KubeService'
            Remarks = 'The services of the platform namespace.'
        }
        @{
            Title   = 'Select services by label'
            Code    = 'Get-KubeService -Selector app.kubernetes.io/part-of=real-estate-ai'
            Remarks = 'Services by label.'
        }
    )
    Links       = @('Test-Deployment')
}
