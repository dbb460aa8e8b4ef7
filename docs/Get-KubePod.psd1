@{
    Synopsis    = 'Lists pods like kubectl get pods, as objects, streamed page by page.'
    Description = @'
Get-KubePod lists the pods of the context's namespace (or -Namespace, or -AllNamespaces) the way kubectl get pods does, with kubectl's columns: READY, STATUS (the waiting or terminated reason of a container wins over the phase, as kubectl shows CrashLoopBackOff; Terminating for deleted pods), RESTARTS and AGE, plus the node. Each object also carries the controller, containers, labels, IP and UID for scripts.

Pages are fetched with limit and continue tokens, and the next page only once the pipeline has taken every pod of the last one, so Get-KubePod | Select-Object -First 5 makes one request. -Name takes wildcards; one exact name is selected by the server. A name that matches nothing is a PodNotFound error; an unknown namespace is NamespaceNotFound.
'@
    Parameters  = @{
        Name = 'Pod names; wildcards are allowed. One exact name is selected on the server (field selector metadata.name).'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        AllNamespaces = 'Lists across all namespaces instead of one.'
        Selector = 'A label selector, as kubectl -l takes it: app=api-service, tier in (web,api), !canary.'
        PageSize = 'Items fetched per request (the API limit); the continue token fetches the next page. The default is 500.'
        Node = 'Only the pods on this node (field selector spec.nodeName).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'List the pods'
            Code    = 'Get-KubePod'
            Remarks = 'The pods of the context''s namespace, as a kubectl-like table.'
        }
        @{
            Title   = 'Find pods that are not running'
            Code    = 'Get-KubePod -Selector app=api-service | Where-Object Status -ne Running'
            Remarks = 'Pods of api-service that are not running.'
        }
        @{
            Title   = 'See what runs on a node before a drain'
            Code    = 'Get-KubePod -AllNamespaces -Node ip-10-0-1-21.ec2.internal'
            Remarks = 'What runs on a node before draining it.'
        }
    )
    Links       = @('Get-KubeDeployment', 'Get-PodLog', 'Invoke-NodeDrain')
}
