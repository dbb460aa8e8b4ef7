@{
    Synopsis    = 'Removes an alert rule from its PrometheusRule object.'
    Description = @'
Remove-AlertRule finds the rule by name among the PrometheusRule objects of -Namespace (default monitoring; -ObjectName and -Group narrow it down: a name in several places is AlertRuleAmbiguous, none AlertRuleNotFound) and takes it out of its group; a group left empty goes with it. The other rules are never touched.

When the rule was the object''s last one, the object itself is deleted: an empty PrometheusRule serves nothing, and deleting it is exactly removing that rule. -KeepEmptyObject keeps the object, with no rules. The rest of the object is replaced only if nobody changed it since it was read (AlertRuleConflict).

It asks for confirmation (ConfirmImpact High); -Force skips the prompt. -WhatIf reads the object and shows what would go (the rule''s YAML, and whether the object is deleted); it changes nothing. The removal is journaled.
'@
    Parameters  = @{
        Name = 'The rule''s name. Accepts the Name of Get-AlertRule -Source Cluster objects from the pipeline (with their Namespace, ObjectName and Group).'
        Group = 'The rule''s group, when the name is in more than one.'
        ObjectName = 'The rule''s PrometheusRule object, when the name is in more than one.'
        Namespace = 'The namespace of the PrometheusRule objects. Defaults to monitoring.'
        KeepEmptyObject = 'Keeps the PrometheusRule object when its last rule is removed, instead of deleting it.'
        Force = 'Removes without asking for confirmation. -WhatIf still changes nothing.'
        Kubeconfig = 'The kubeconfig file. Defaults to the context''s KubeconfigPath, else KUBECONFIG, else ~/.kube/config.'
        KubeContext = 'The kubeconfig context. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'See what removing a rule would do'
            Code    = 'Remove-AlertRule PodRestartingOften -WhatIf'
            Remarks = 'Shows the rule that would be taken out of monitoring/platform-alerts; nothing is changed.'
        }
        @{
            Title   = 'Remove the rules of a group'
            Code    = 'Get-AlertRule -Source Cluster -Group experiments | Remove-AlertRule -Force'
            Remarks = 'Removes every rule of group experiments, each from its own object; an object left without rules is deleted.'
        }
    )
    Links       = @('Get-AlertRule', 'New-AlertRule', 'Set-AlertRule')
}
