@{
    Synopsis    = 'Adds an alert rule to a PrometheusRule object, checked before it is applied.'
    Description = @'
New-AlertRule is the Monitoring runbook''s kubectl apply -f monitoring/alerts/new-alert.yaml, with the check first. It adds an alert rule (alert, expr, for, labels, annotations) to group -Group (default platform) of the PrometheusRule object -ObjectName (default platform-alerts) in -Namespace (default monitoring); a missing group is added, a missing object is created. A rule of the same name already in that group is AlertRuleExists (change it with Set-AlertRule).

Before anything is applied, the object''s rules as they would be are checked with promtool check rules when promtool is on PATH (a temporary file, 0600 in a new 0700 folder, removed afterwards): an invalid expression, duration or label name is refused with AlertRuleInvalid and promtool''s parser message, and nothing is sent to the cluster. A cluster whose admission check refuses the rules (HTTP 422) gives AlertRuleInvalid with the server''s message too. An existing object is replaced only if nobody changed it since it was read (AlertRuleConflict otherwise).

-WhatIf reads the object and shows the change, the summary and the rule''s YAML; it changes nothing. The change is journaled. Prometheus picks the rule up when it reloads its rule files (prometheus-operator does that; the sandbox does it at once); Get-AlertRule shows it then.
'@
    Parameters  = @{
        Name = 'The alert''s name (its alertname label).'
        Expression = 'The PromQL expression; the alert is active while it returns series.'
        For = 'How long the expression must hold before the alert fires, as a Prometheus duration: 30s, 5m, 1h30m. Without it the alert fires at the first evaluation.'
        Severity = 'The severity label: critical, warning or info.'
        Summary = 'The summary annotation.'
        Description = 'The description annotation (may use Prometheus templates such as {{ $labels.service }}).'
        RunbookUrl = 'The runbook_url annotation.'
        Labels = 'More labels, as a hashtable: @{ team = ''platform'' }.'
        Annotations = 'More annotations, as a hashtable.'
        Group = 'The rule group. Defaults to platform.'
        ObjectName = 'The PrometheusRule object. Defaults to platform-alerts; created when missing.'
        Namespace = 'The namespace of the PrometheusRule object. Defaults to monitoring (not the context''s namespace).'
        Kubeconfig = 'The kubeconfig file. Defaults to the context''s KubeconfigPath, else KUBECONFIG, else ~/.kube/config.'
        KubeContext = 'The kubeconfig context. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Alert on a slow chatbot'
            Code    = 'New-AlertRule -Name ChatbotSlow -Expression ''histogram_quantile(0.95, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{service="chatbot-service"}[5m]))) > 2'' -For 5m -Severity warning -Summary ''Chatbot p95 latency above 2 s'''
            Remarks = 'Adds ChatbotSlow to group platform of monitoring/platform-alerts after promtool accepts it, and returns the rule as written.'
        }
        @{
            Title   = 'See the rule that would be written'
            Code    = 'New-AlertRule -Name LlmErrors -Expression ''sum(rate(llm_requests_total{status="error"}[5m])) / sum(rate(llm_requests_total[5m])) > 0.1'' -For 10m -Severity critical -ObjectName llm-alerts -WhatIf'
            Remarks = 'Shows that a new object monitoring/llm-alerts would be created, with the rule''s YAML; nothing is changed.'
        }
    )
    Links       = @('Get-AlertRule', 'Set-AlertRule', 'Remove-AlertRule')
}
