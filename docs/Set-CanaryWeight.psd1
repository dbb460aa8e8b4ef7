@{
    Synopsis    = 'Sets the share of the traffic a canary gets in its TrafficSplit.'
    Description = @'
Set-CanaryWeight sets the weight of the canary backend of the Deployment's TrafficSplit to -Weight (0 to 100) and the stable backend to the rest, as the runbook's traffic-split manifests do; the canary's phase becomes Progressing once it has traffic. A Deployment without a canary is CanaryNotFound; a canary already promoted or rolled back is CanaryNotRunning. The change is a merge patch, safe to retry. It returns the canary's state (Get-Canary's object).
'@
    Parameters  = @{
        Deployment = 'The stable Deployment whose canary it is.'
        Weight = 'The canary''s share of the traffic in percent, 0 to 100.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
    }
    Examples    = @(
        @{
            Title   = 'Send a tenth of the traffic to the canary'
            Code    = 'Set-CanaryWeight -Deployment api-service -Weight 10'
            Remarks = 'api-service-canary gets 10% of api-service''s requests, api-service-stable 90%.'
        }
    )
    Links       = @('Start-Canary', 'Step-Canary', 'Get-Canary')
}
