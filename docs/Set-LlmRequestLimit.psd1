@{
    Synopsis    = 'Throttles the requests the LLM service sends to its provider, reversibly, and restarts it.'
    Description = @'
Set-LlmRequestLimit is the LLM runbook's "if rate limited: implement request throttling": it sets LLM_RATE_LIMIT_RPM (requests per minute) in the llm-service's ConfigMap, records the limit it replaced in the realestateops.io/previous-llm-rate-limit-rpm annotation, and restarts the llm-service deployment so that its pods apply it. -Revert restores the recorded limit (removing the key when there was none) and removes the record (LlmConfigNothingToRevert when there is none). A limit that already is the one asked for changes nothing and restarts nothing.

It returns an LlmConfigChange, asks for confirmation, takes -WhatIf and is journaled; -Wait waits for the restart's rollout in the same journal entry.
'@
    Parameters  = @{
        RequestsPerMinute = 'The requests per minute the service lets through to its provider (1 or more).'
        Revert = 'Restore the limit the last change replaced.'
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
            Title   = 'Throttle the LLM service while the provider rate-limits it'
            Code    = 'Set-LlmRequestLimit -RequestsPerMinute 120 -Wait'
            Remarks = 'The provider answers 429: fewer requests per minute until it recovers; the old limit is recorded for -Revert.'
        }
        @{
            Title   = 'Lift the throttle again'
            Code    = 'Set-LlmRequestLimit -Revert'
            Remarks = 'Restores the limit the last change replaced and restarts llm-service.'
        }
    )
    Links       = @('Get-LlmServiceConfig', 'Switch-LlmProvider')
}
