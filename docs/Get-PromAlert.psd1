@{
    Synopsis    = 'Lists Prometheus'' active alerts: pending and firing.'
    Description = @'
Get-PromAlert reads Prometheus'' active alerts (/api/v1/alerts): each with its name (the alertname label), State (Pending while its for has not elapsed, then Firing), labels (severity, namespace, service, ...), annotations (summary, description, runbook_url), ActiveAt and the expression''s value. -Name takes wildcards; -State keeps one state. Prometheus answers in one piece: Get-PromAlert | Select-Object -First 1 makes one request.

What Alertmanager does with them (grouping, silences) is Get-AlertmanagerAlert''s and Get-AlertSilence''s. Errors are Invoke-PromQuery''s (PrometheusUnreachable, ...).
'@
    Parameters  = @{
        Name = 'Alert names (the alertname label); wildcards are allowed.'
        State = 'Only alerts in this state: Pending or Firing.'
        PrometheusUrl = 'Prometheus'' URL. Defaults to the context''s ServiceUrls[''prometheus''].'
        PrometheusCredential = 'A user name and password for a proxy in front of Prometheus (basic auth); else a bearer token from PROMETHEUS_BEARER_TOKEN when set.'
    }
    Examples    = @(
        @{
            Title   = 'List the active alerts'
            Code    = 'Get-PromAlert'
            Remarks = 'Pending and firing alerts, with severity, service and since when.'
        }
        @{
            Title   = 'Which services have a firing HighErrorRate'
            Code    = 'Get-PromAlert HighErrorRate -State Firing | Select-Object Service, ActiveAt, Value, Summary'
            Remarks = 'The services the High Error Rate response is about, with the error ratio that fired it.'
        }
    )
    Links       = @('Get-AlertRule', 'Get-ServiceHealth', 'Get-AlertmanagerAlert', 'New-AlertSilence')
}
