@{
    Synopsis    = 'Shows pod CPU and memory usage like kubectl top pods.'
    Description = @'
Get-PodUsage reads the metrics API and returns per pod CPU in millicores and memory in MiB (the sum of its containers; each container's usage is in Containers). Only running pods have metrics, as with kubectl top pods.
'@
    Parameters  = @{
        Name = 'Pod names; wildcards are allowed.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Show pod usage'
            Code    = 'Get-PodUsage'
            Remarks = 'The runbook''s kubectl top pods -n real-estate-ai.'
        }
        @{
            Title   = 'Sort the LLM service pods by memory'
            Code    = 'Get-PodUsage llm-service-* | Sort-Object MemoryMiB -Descending'
            Remarks = 'The LLM service''s pods by memory.'
        }
    )
    Links       = @('Get-NodeUsage')
}
