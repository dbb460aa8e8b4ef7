@{
    Synopsis    = 'Steps a canary through its weights, checking Prometheus metric gates between steps; promotes or rolls back automatically.'
    Description = @'
Step-Canary is the runbook's "shift traffic 10% -> 25% -> ... -> 100%, watch error rates and latency, then promote or roll back", decided as Flagger's and Argo Rollouts' analyses do. For each of -Steps it sets the canary's weight, holds -Interval (Write-Progress; Ctrl+C stops at once and leaves the canary at its weight), then reads from Prometheus, over the interval, the request success rate (share of requests not answered 5xx) and the p95 latency of the pods labelled version=canary, and those of the stable pods for the record; with -IncludeLlmErrorRate also the error share of the LLM generations Langfuse recorded in the interval.

A check passes when the canary's success rate is at least -MinSuccessRate and its p95 at most -MaxLatencyP95Ms (and the LLM error rate at most -MaxLlmErrorRatePercent). No data (an empty answer, NaN) is a failed check, and so is a query that failed after the client's retries. A failed check holds the weight and checks again; after -FailureLimit failed checks the canary is rolled back as Stop-Canary does (verdict RolledBack). When the last step passes the canary is promoted as Complete-Canary does (verdict Promoted), unless -NoPromote (verdict Holding). Every weight change, check and verdict is journaled (Get-OpsJournal -Command Step-Canary), and the checks passed and failed and the last values are kept on the TrafficSplit for Get-Canary. It returns a CanaryResult with its checks.
'@
    Parameters  = @{
        Deployment = 'The stable Deployment whose canary it is.'
        Steps = 'The canary''s weights in percent, in order. The default is 10, 25, 50, 100.'
        Interval = 'How long each weight is held before its check, and the window the check reads: seconds or 30s, 1m. The default is 1 minute.'
        FailureLimit = 'Failed checks after which the canary is rolled back. The default is 2.'
        MinSuccessRate = 'The least share of the canary''s requests not answered 5xx, in percent. The default is 99.'
        MaxLatencyP95Ms = 'The greatest p95 latency of the canary in milliseconds. Defaults to the context''s LatencyP95ThresholdMs (1000 in the built-in default).'
        IncludeLlmErrorRate = 'Also gate on the LLM error rate: the error share of the generations Langfuse recorded in the interval (no generations is no data, a failed check).'
        MaxLlmErrorRatePercent = 'The greatest LLM error rate in percent, with -IncludeLlmErrorRate. The default is 5.'
        NoPromote = 'Leave the canary at its last weight when every step passed (verdict Holding) instead of promoting it.'
        Timeout = 'How long the stable Deployment''s rollout may take when the canary is promoted: seconds or 90s, 10m. The default is 10 minutes.'
        PrometheusUrl = 'Prometheus'' URL. Defaults to the context''s ServiceUrls[''prometheus''] (Start-OpsSandbox sets it to the sandbox''s real Prometheus). A bearer token for a proxy in front of it is read from PROMETHEUS_BEARER_TOKEN.'
        LangfuseUrl = 'Langfuse''s URL, with -IncludeLlmErrorRate. Defaults to the context''s ServiceUrls[''langfuse'']; the keys come from the context or LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY.'
        Force = 'Skip the confirmation prompts of the weight changes (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default). Binds by property name.'
    }
    Examples    = @(
        @{
            Title   = 'Run the runbook''s canary analysis'
            Code    = 'Step-Canary -Deployment api-service -Steps 10,25,50,100 -Interval 1m'
            Remarks = 'Four steps a minute apart; two failed checks roll the canary back, the last step passing promotes it.'
        }
        @{
            Title   = 'A stricter gate that also watches the LLM, without promoting'
            Code    = 'Step-Canary -Deployment api-service -MinSuccessRate 99.5 -MaxLatencyP95Ms 400 -IncludeLlmErrorRate -NoPromote'
            Remarks = 'Leaves the canary at 100% for a last look; Complete-Canary promotes it.'
        }
    )
    Links       = @('Start-Canary', 'Get-Canary', 'Complete-Canary', 'Stop-Canary', 'Invoke-PromQuery')
}
