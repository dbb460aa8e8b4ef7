@{
    Synopsis    = 'Switches the LLM service to its fallback provider (or another), reversibly, and restarts it.'
    Description = @'
Switch-LlmProvider is the LLM runbook's "switch to the fallback provider": it sets LLM_PROVIDER in the llm-service's ConfigMap to -Provider, by default to the configured LLM_FALLBACK_PROVIDER (LlmFallbackNotConfigured when there is none), records the provider it replaced in the ConfigMap's realestateops.io/previous-llm-provider annotation, and restarts the llm-service deployment (kubectl rollout restart) so that its pods read the new value. -Revert restores the recorded provider and removes the record (LlmConfigNothingToRevert when there is none). A provider that already is the one asked for changes nothing and restarts nothing.

It returns an LlmConfigChange (Setting, OldValue, NewValue, Changed, the configuration after the change and the restart's RolloutStatus). The ConfigMap is patched with the resourceVersion read, so a concurrent change fails (KubeConflict) instead of being lost. It asks for confirmation, takes -WhatIf, and is journaled; -Wait waits for the restart's rollout in the same journal entry. When the ConfigMap changed but the restart failed, the error says so: the pods read the new value at their next start.
'@
    Parameters  = @{
        Provider = 'The provider to switch to (lower case, as the service names them: anthropic, openai, azure-openai, ...). By default the configured fallback provider.'
        Revert = 'Switch back to the provider the last switch replaced.'
        Wait = 'Wait until the restart''s rollout completes.'
        Timeout = 'How long -Wait waits: seconds or 90s, 10m. The default is 10 minutes.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        ConfigMap = 'The ConfigMap that holds the llm-service''s configuration. The default is llm-service-config.'
        Deployment = 'The deployment that reads the configuration and is restarted to apply it. The default is llm-service.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Switch to the fallback provider and wait for the restart'
            Code    = 'Switch-LlmProvider -Wait'
            Remarks = 'The external provider degrades: the service calls the fallback provider once its pods restart.'
        }
        @{
            Title   = 'Go back to the primary provider when it recovered'
            Code    = 'Switch-LlmProvider -Revert -Wait'
            Remarks = 'Restores the provider recorded by the last switch and restarts llm-service.'
        }
    )
    Links       = @('Get-LlmServiceConfig', 'Set-LlmRequestLimit', 'Restart-Deployment')
}
