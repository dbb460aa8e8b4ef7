@{
    Synopsis    = 'Which services went above the alert''s threshold in a window, and since when (the investigation''s first piece).'
    Description = @'
Get-ServiceErrorSpike runs one Prometheus range query of the alert rule's own expression (HighErrorRate: the share of 5xx answers per namespace and service; HighLatencyP95: the p95 latency) over the window and writes one object per service that went above the threshold: Since (the start of its latest run above it), Ongoing (whether the latest point is still above), Peak and when, and the latest value. Services that stayed below are not written. Get-AlertInvestigation includes it.
'@
    Parameters  = @{
        Alert = 'HighErrorRate (default: 5xx share in percent) or HighLatencyP95 (p95 in milliseconds).'
        Since = 'How far back the window reaches: 30m, 2h, ... The default is 1 hour.'
        Namespace = 'The namespace of the services. Defaults to the context''s Namespace.'
        Service = 'Only these services (Deployment names).'
        Threshold = 'In the alert''s unit. Defaults to the context''s ErrorRateThresholdPercent or LatencyP95ThresholdMs (5 and 1000 in the built-in default, the alert rules'' own).'
        PrometheusUrl = 'Prometheus'' URL (http://host:9090). Defaults to the context''s ServiceUrls[''prometheus''].'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Which services spiked in the last half hour'
            Code    = 'Get-ServiceErrorSpike -Since 30m'
            Remarks = 'Each service above 5% of 5xx answers in the window, since when and how far.'
        }
        @{
            Title   = 'Latency spikes above 500 ms'
            Code    = 'Get-ServiceErrorSpike HighLatencyP95 -Threshold 500'
            Remarks = 'Services whose p95 latency went above 500 ms in the last hour.'
        }
    )
    Links       = @('Get-AlertInvestigation', 'Get-ServiceHealth', 'Invoke-PromQuery')
}
