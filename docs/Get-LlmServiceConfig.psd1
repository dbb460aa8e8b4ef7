@{
    Synopsis    = 'Gets the llm-service''s configuration: provider, fallback provider, request limit.'
    Description = @'
Get-LlmServiceConfig reads the llm-service's ConfigMap (llm-service-config, whose keys the service's pods read as environment variables at start) and returns an LlmServiceConfig: Provider (LLM_PROVIDER), Model, FallbackProvider (LLM_FALLBACK_PROVIDER), FallbackModel, RequestsPerMinute (LLM_RATE_LIMIT_RPM), OnFallback, and what a -Revert of Switch-LlmProvider or Set-LlmRequestLimit would restore (PreviousProvider, PreviousRequestsPerMinute), with the time of the last change. A missing ConfigMap is LlmConfigNotFound.
'@
    Parameters  = @{
        ConfigMap = 'The ConfigMap that holds the llm-service''s configuration. The default is llm-service-config.'
        Deployment = 'The deployment that reads the configuration and is restarted to apply it. The default is llm-service.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'See which provider the LLM service uses'
            Code    = 'Get-LlmServiceConfig'
            Remarks = 'Provider, fallback, request limit, and whether a switch can be reverted.'
        }
        @{
            Title   = 'Every key of the configuration'
            Code    = '(Get-LlmServiceConfig).Data'
            Remarks = 'The ConfigMap''s keys and values as the service''s pods read them.'
        }
    )
    Links       = @('Switch-LlmProvider', 'Set-LlmRequestLimit')
}
