@{
    Synopsis    = 'Shows node CPU and memory usage like kubectl top nodes.'
    Description = @'
Get-NodeUsage reads the metrics API (metrics.k8s.io, served by metrics-server) and the nodes' allocatable resources, and returns per node CPU in millicores and memory in MiB, with their percentages of allocatable computed as kubectl top nodes computes them. -NodeGroup limits it to one EKS node group. A cluster without the metrics API gives MetricsApiUnavailable.
'@
    Parameters  = @{
        Name = 'Node names; wildcards are allowed.'
        NodeGroup = 'Only the nodes of this EKS node group.'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Show node usage'
            Code    = 'Get-NodeUsage'
            Remarks = 'The runbook''s kubectl top nodes.'
        }
        @{
            Title   = 'Find the busiest node of a group'
            Code    = 'Get-NodeUsage -NodeGroup standard-nodes | Sort-Object CpuPercent -Descending | Select-Object -First 1'
            Remarks = 'The busiest node of the group.'
        }
    )
    Links       = @('Get-PodUsage', 'Get-KubeNode')
}
