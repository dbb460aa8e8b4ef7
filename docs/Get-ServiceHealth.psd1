@{
    Synopsis    = 'Assesses each platform service from Prometheus: traffic, errors, latency, restarts, CPU and memory, and a verdict.'
    Description = @'
Get-ServiceHealth gives one ServiceHealth object per platform service with the Monitoring runbook''s system metrics, read from Prometheus at one instant over -Window (default 1m, the platform alert rules'' window): RequestRate (requests per second), ErrorRatePercent (5xx answers as a share of all), LatencyP50Ms and LatencyP95Ms (from the request-duration histogram), Restarts (container restarts over the last hour), CpuCores and MemoryBytes with what the pods request (CpuPercentOfRequest, MemoryPercentOfRequest), and Pods.

The Verdict is Unhealthy when the error rate is above the error-rate threshold (or the service has requests and no pod), Degraded when its p95 latency is above the latency threshold, it restarted 3 times or more in the last hour, or its memory is at 90% of its request or more, NoData when Prometheus has no series for it, else Healthy; Reasons (and Reason, as one line) say why. The thresholds are the context''s ErrorRateThresholdPercent (default 5) and LatencyP95ThresholdMs (default 1000), the HighErrorRate and HighLatencyP95 rules'' own; the parameters of the same names override them for one run.

It runs one query per measure, each grouped by (namespace, service), never one per service; -Verbose shows them. Services given on the pipeline are gathered into those same queries. A service asked for that has no metrics is NoData.
'@
    Parameters  = @{
        Service = 'The services (the service label: the Deployment''s name, such as api-service). Defaults to every service with metrics in the namespace. Accepts pipeline input by property name: Get-PromAlert HighErrorRate | Get-ServiceHealth assesses the services an alert is about.'
        Namespace = 'The services'' namespace. Defaults to the context''s Namespace (real-estate-ai).'
        Window = 'The window of the rates and latency quantiles: 1m, 5m, 300 (seconds). Defaults to 1m.'
        ErrorRateThresholdPercent = 'The error rate, in percent (0.01 to 100), above which a service is Unhealthy. Defaults to the context''s ErrorRateThresholdPercent (5).'
        LatencyP95ThresholdMs = 'The p95 latency, in milliseconds (1 to 600000), above which a service is Degraded. Defaults to the context''s LatencyP95ThresholdMs (1000).'
        At = 'Assess the services as they were at this time (Prometheus keeps 15 days by default). Defaults to now.'
        PrometheusUrl = 'Prometheus'' URL. Defaults to the context''s ServiceUrls[''prometheus''].'
        PrometheusCredential = 'A user name and password for a proxy in front of Prometheus (basic auth); else a bearer token from PROMETHEUS_BEARER_TOKEN when set.'
    }
    Examples    = @(
        @{
            Title   = 'How the platform''s services are doing'
            Code    = 'Get-ServiceHealth'
            Remarks = 'One row per service: verdict, requests per second, error rate, p95 latency, restarts, CPU and memory against requests, and the reasons.'
        }
        @{
            Title   = 'The services that need attention'
            Code    = 'Get-ServiceHealth | Where-Object Verdict -in Unhealthy, Degraded | Select-Object Service, Verdict, ErrorRatePercent, LatencyP95Ms, Reason'
            Remarks = 'The High Error Rate response''s first question: which services are affected.'
        }
        @{
            Title   = 'One service against a stricter threshold'
            Code    = 'Get-ServiceHealth api-service -ErrorRateThresholdPercent 1 -LatencyP95ThresholdMs 500 | Format-List Service, Verdict, Reasons, RequestRate, ErrorRatePercent, LatencyP50Ms, LatencyP95Ms, Pods'
            Remarks = 'api-service judged against 1% errors and a 500 ms p95 for this run only.'
        }
    )
    Links       = @('Invoke-PromQuery', 'Get-PromAlert', 'Set-OpsContext', 'Get-PodUsage')
}
