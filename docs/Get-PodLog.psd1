@{
    Synopsis    = 'Reads container logs like kubectl logs, as objects with pod, container, timestamp and text.'
    Description = @'
Get-PodLog reads the log of one pod (-Pod) or of every pod of a deployment (-Deployment), at most -MaxConcurrency streams at a time (kubectl's --max-log-requests). Without -Container it reads the container kubectl would choose: the one named by the pod's kubectl.kubernetes.io/default-container annotation, else the first. Each line is an object with Namespace, Pod, Container, Timestamp and Text; -Pattern keeps lines matching a regular expression (the runbook's | grep ERROR).

-Tail, -Since and -Previous are kubectl's --tail, --since and --previous. -Follow streams new lines until Ctrl+C. An unknown pod is PodNotFound, an unknown deployment DeploymentNotFound, an unknown container ContainerNotFound.
'@
    Parameters  = @{
        Pod = 'The pod to read. Binds by property name (Name, Namespace) from Get-KubePod output.'
        Deployment = 'Read every pod of this deployment.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name from piped pods.'
        Container = 'The container; by default the one kubectl chooses (default-container annotation, else the first).'
        Tail = 'Only the last N lines of each container log.'
        Since = 'Only lines newer than this: seconds or 30s, 10m, 1h.'
        Previous = 'The log of the previous (crashed) instance of the container.'
        Pattern = 'A regular expression; only matching lines are written.'
        Follow = 'Keep streaming new lines until Ctrl+C.'
        MaxConcurrency = 'How many log streams are read at once for a deployment (default 5).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Read the last lines of every pod of a deployment'
            Code    = 'Get-PodLog -Deployment api-service -Tail 100'
            Remarks = 'The runbook''s kubectl logs deployment/api-service --tail=100, for every pod of the deployment.'
        }
        @{
            Title   = 'Find the errors of the last hour'
            Code    = 'Get-PodLog -Deployment llm-service -Pattern ''ERROR|FATAL'' -Since 1h'
            Remarks = 'Errors of the last hour.'
        }
        @{
            Title   = 'Read the logs of piped pods'
            Code    = 'Get-KubePod -Selector app=chatbot-service | Get-PodLog -Tail 20'
            Remarks = 'The last 20 lines of each piped pod.'
        }
        @{
            Title   = 'Follow the logs of a deployment'
            Code    = 'Get-PodLog -Deployment api-service -Tail 5 -Follow'
            Remarks = 'kubectl logs -f for every pod of the deployment: new lines as they come, until Ctrl+C. The text is the last column and wraps, so long lines read whole at any width.'
        }
    )
    Links       = @('Get-KubePod', 'Test-Deployment')
}
