@{
    Synopsis    = 'Lists alert and recording rules, as Prometheus evaluates them or as the cluster''s PrometheusRule objects hold them.'
    Description = @'
By default Get-AlertRule reads Prometheus'' rules API (/api/v1/rules): each rule with its group and file, type (Alerting or Recording), query, for (Duration), labels and annotations, and how its evaluation goes: State (Inactive, Pending, Firing), Health (Ok, Err, Unknown before the first evaluation), LastError, LastEvaluation and EvaluationTime, and its active alerts. A rule whose health is Err has a LastError that says why.

With -Source Cluster it reads the PrometheusRule objects (monitoring.coreos.com/v1) of -Namespace (default monitoring; -AllNamespaces for all), as kubectl get prometheusrules -n monitoring lists them, and writes one object per rule with its Namespace, ObjectName and Group, the expression, for, labels, annotations and its YAML. Objects are listed page by page. Rules written there reach Prometheus when it reloads them (prometheus-operator, or the sandbox, writes the rule files and reloads).

-Name and -Group take wildcards, -Type keeps one kind.
'@
    Parameters  = @{
        Name = 'Rule names (alert or record); wildcards are allowed.'
        Group = 'Rule group names; wildcards are allowed.'
        Type = 'Only Alerting or only Recording rules.'
        Source = 'Prometheus (the default: the rules API, with state, health and last error) or Cluster (the PrometheusRule objects in the cluster).'
        Namespace = 'With -Source Cluster: the namespace of the PrometheusRule objects. Defaults to monitoring (not the context''s namespace).'
        AllNamespaces = 'With -Source Cluster: the PrometheusRule objects of every namespace.'
        ObjectName = 'With -Source Cluster: one PrometheusRule object only (a missing one is PrometheusRuleNotFound).'
        PrometheusUrl = 'Prometheus'' URL. Defaults to the context''s ServiceUrls[''prometheus''].'
        PrometheusCredential = 'A user name and password for a proxy in front of Prometheus (basic auth); else a bearer token from PROMETHEUS_BEARER_TOKEN when set.'
        Kubeconfig = 'With -Source Cluster: the kubeconfig file. Defaults to the context''s KubeconfigPath, else KUBECONFIG, else ~/.kube/config.'
        KubeContext = 'With -Source Cluster: the kubeconfig context. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'The rules as Prometheus evaluates them'
            Code    = 'Get-AlertRule'
            Remarks = 'Every rule with its state and health; a rule that cannot be evaluated shows its last error.'
        }
        @{
            Title   = 'The rules as written in the cluster'
            Code    = 'Get-AlertRule -Source Cluster'
            Remarks = 'kubectl get prometheusrules -n monitoring, one row per rule: object, group, rule, for and severity.'
        }
        @{
            Title   = 'Rules that fail to evaluate'
            Code    = 'Get-AlertRule | Where-Object Health -eq Err | Select-Object Group, Name, LastError'
            Remarks = 'Rules whose last evaluation failed, with Prometheus'' reason.'
        }
    )
    Links       = @('New-AlertRule', 'Set-AlertRule', 'Remove-AlertRule', 'Get-PromAlert')
}
