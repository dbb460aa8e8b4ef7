@{
    Synopsis    = 'Promotes a canary: the stable deployment takes its image, all traffic goes to stable, the canary is removed.'
    Description = @'
Complete-Canary promotes the canary of a Deployment: the stable Deployment's container takes the canary's image and the command waits for its rollout (Write-Progress), then the TrafficSplit sends all traffic to the stable backend and the canary Deployment and Service are removed. The TrafficSplit stays, in phase Promoted, with the image recorded. A Deployment without a canary is CanaryNotFound; one already finished is CanaryNotRunning; a rollout that fails or times out is RolloutFailed or RolloutTimeout (the canary then still serves its share). It returns the canary's state.
'@
    Parameters  = @{
        Deployment = 'The stable Deployment whose canary it is.'
        Timeout = 'How long the stable Deployment''s rollout may take: seconds or 90s, 10m. The default is 10 minutes.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
    }
    Examples    = @(
        @{
            Title   = 'Promote the canary of the API'
            Code    = 'Complete-Canary -Deployment api-service'
            Remarks = 'api-service runs the canary''s image; api-service-canary is gone.'
        }
    )
    Links       = @('Step-Canary', 'Stop-Canary', 'Get-Canary')
}
