@{
    Synopsis    = 'Rolls a canary back: all traffic to stable, the canary removed.'
    Description = @'
Stop-Canary rolls the canary of a Deployment back: its TrafficSplit sends all traffic to the stable backend, then the canary Deployment and Service are removed. The stable Deployment is not touched. The TrafficSplit stays, in phase RolledBack with -Reason. A Deployment without a canary is CanaryNotFound. Stopping a canary that is already rolled back does no harm. It returns the canary's state.
'@
    Parameters  = @{
        Deployment = 'The stable Deployment whose canary it is.'
        Reason = 'Why it is rolled back; kept on the TrafficSplit and shown by Get-Canary. The default is "stopped by Stop-Canary".'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
    }
    Examples    = @(
        @{
            Title   = 'Roll the API''s canary back'
            Code    = 'Stop-Canary -Deployment api-service -Reason ''p95 regression seen in the dashboards'''
            Remarks = 'All of api-service''s traffic goes to the stable pods again.'
        }
    )
    Links       = @('Start-Canary', 'Complete-Canary', 'Get-Canary')
}
