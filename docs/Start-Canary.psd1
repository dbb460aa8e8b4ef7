@{
    Synopsis    = 'Starts a canary of a deployment: a canary Deployment with the new image behind an SMI TrafficSplit at stable 100 / canary 0.'
    Description = @'
Start-Canary starts the runbook's canary deployment. For the Deployment D it creates the canary Deployment D-canary (a copy of D's pod template with -Image in its first container, or -Container, pods labelled version=canary, one replica), the Service D-canary that selects those pods, the stable backend Service D-stable (the app Service's selector), and the SMI TrafficSplit D (split.smi-spec.io, in the newest version the cluster serves: v1alpha4, v1alpha3 or v1alpha2) whose root service is the app's Service D, with the backends D-stable at weight 100 and D-canary at weight 0. It then waits for the canary's rollout (Write-Progress); a canary whose pods do not become ready within -Timeout (RolloutFailed, RolloutTimeout) is left in place with a warning, for Step-Canary's checks to judge (they fail, and it is rolled back) or Stop-Canary to remove. The canary's state lives in the cluster (the TrafficSplit's realestateops.io/canary-* annotations), so Get-Canary shows it from any machine.

A canary of D that is still running is refused (CanaryAlreadyExists); a TrafficSplit or Service of the same name that this module did not make is left alone (TrafficSplitExists, CanaryObjectExists). The app's Service must exist (CanaryServiceNotFound). A cluster without TrafficSplit is TrafficSplitNotServed. Creates are safe to retry: a repeated create that finds its own earlier attempt counts as done. Then move traffic with Set-CanaryWeight or Step-Canary, and finish with Complete-Canary or Stop-Canary.
'@
    Parameters  = @{
        Deployment = 'The stable Deployment (and the name of its Service and of the TrafficSplit).'
        Image = 'The canary''s image, e.g. real-estate-ai/api-service:v1.2.0.'
        Container = 'The container that takes -Image. The default is the pod''s first container.'
        Timeout = 'How long the canary''s rollout may take: seconds or 90s, 5m. The default is 5 minutes.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
    }
    Examples    = @(
        @{
            Title   = 'Start a canary of the API'
            Code    = 'Start-Canary -Deployment api-service -Image real-estate-ai/api-service:v1.2.0'
            Remarks = 'The canary runs next to the stable pods and gets no traffic yet; Step-Canary moves traffic onto it.'
        }
    )
    Links       = @('Step-Canary', 'Set-CanaryWeight', 'Get-Canary', 'Complete-Canary', 'Stop-Canary')
}
