@{
    Synopsis    = 'Changes an alert rule of a PrometheusRule object, checked before it is applied.'
    Description = @'
Set-AlertRule finds the rule by name among the PrometheusRule objects of -Namespace (default monitoring; -ObjectName and -Group narrow it down: a name in several places is AlertRuleAmbiguous, none AlertRuleNotFound) and changes only what is given: the expression, for (-For '''' removes it), severity, summary, description, runbook URL, more labels and annotations (a label or annotation given an empty value is removed). Fields it does not know (keep_firing_for, the group''s interval) stay as they are.

The change is checked like New-AlertRule''s (promtool check rules when on PATH, the cluster''s admission check: AlertRuleInvalid with the parser''s message; nothing applied), and the object is replaced only if nobody changed it since it was read (AlertRuleConflict). A rule that already says what is asked is left alone. -WhatIf reads the object and shows the rule''s line diff (- before, + after); it changes nothing. The change is journaled.
'@
    Parameters  = @{
        Name = 'The rule''s name. Accepts the Name of Get-AlertRule -Source Cluster objects from the pipeline (with their Namespace, ObjectName and Group).'
        Expression = 'A new PromQL expression.'
        For = 'A new for, as a Prometheus duration (30s, 5m); an empty string removes it.'
        Severity = 'A new severity label: critical, warning or info.'
        Summary = 'A new summary annotation.'
        Description = 'A new description annotation.'
        RunbookUrl = 'A new runbook_url annotation.'
        Labels = 'Labels to set, as a hashtable; an empty value removes a label.'
        Annotations = 'Annotations to set, as a hashtable; an empty value removes one.'
        Group = 'The rule''s group, when the name is in more than one.'
        ObjectName = 'The rule''s PrometheusRule object, when the name is in more than one.'
        Namespace = 'The namespace of the PrometheusRule objects. Defaults to monitoring.'
        Kubeconfig = 'The kubeconfig file. Defaults to the context''s KubeconfigPath, else KUBECONFIG, else ~/.kube/config.'
        KubeContext = 'The kubeconfig context. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Make an alert wait longer before it fires'
            Code    = 'Set-AlertRule HighErrorRate -For 1m -WhatIf'
            Remarks = 'Shows the diff of the HighErrorRate rule (for: 10s becomes for: 1m) without changing it; run it without -WhatIf to apply it.'
        }
        @{
            Title   = 'Raise a rule''s severity and name its owner'
            Code    = 'Set-AlertRule PodRestartingOften -Severity critical -Labels @{ team = ''platform'' }'
            Remarks = 'Sets the severity and team labels of PodRestartingOften, after promtool accepts the result.'
        }
    )
    Links       = @('Get-AlertRule', 'New-AlertRule', 'Remove-AlertRule')
}
