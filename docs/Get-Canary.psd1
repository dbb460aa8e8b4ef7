@{
    Synopsis    = 'Shows canaries: weight, phase, checks passed and failed, and the last measured values.'
    Description = @'
Get-Canary reads the canaries from the cluster, so it shows the same from any machine: each is the TrafficSplit this module made for a Deployment, with the canary's weight (from the TrafficSplit's backends), its phase (Started, Progressing, Promoted, RolledBack), the stable and canary images, the checks passed and failed by Step-Canary, and the last measured success rates and p95 latencies of canary and stable. Without -Deployment it lists the canaries of the namespace (or -AllNamespaces), streamed page by page, so Get-Canary | Select-Object -First 1 makes one list request. With -Deployment, one canary; none is CanaryNotFound.
'@
    Parameters  = @{
        Deployment = 'The stable Deployment whose canary to show. Without it, every canary of the namespace.'
        AllNamespaces = 'Lists the canaries of every namespace.'
        PageSize = 'Items fetched per request (the API limit). The default is 100.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
    }
    Examples    = @(
        @{
            Title   = 'List the canaries'
            Code    = 'Get-Canary'
            Remarks = 'Every canary of the context''s namespace, running or finished.'
        }
        @{
            Title   = 'The last values a canary was judged on'
            Code    = 'Get-Canary -AllNamespaces | Select-Object Deployment, Phase, Weight, CanarySuccessRate, StableSuccessRate, CanaryP95Ms, StableP95Ms'
            Remarks = 'What Step-Canary measured at its last check.'
        }
    )
    Links       = @('Start-Canary', 'Step-Canary', 'Complete-Canary', 'Stop-Canary')
}
