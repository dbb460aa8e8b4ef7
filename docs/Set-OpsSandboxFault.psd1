@{
    Synopsis    = 'Injects faults into the running sandbox: errors, added latency, dropped connections.'
    Description = @'
Set-OpsSandboxFault sets fault injection for one emulated service of the running sandbox, or for all of them with *. A share of requests (-ErrorRate) is answered with an error in the service's own format, chosen from -Error (by default the service's throttling error, 503 and 500, with a Retry-After header on 429 and 503); a share (-DropRate) has its connection dropped without an answer; every request can be delayed (-Latency). Use it to rehearse runbooks and retries under bad conditions. -Reset clears all faults.

The services are those the running sandbox emulates: s3, kubernetes, rds and eks (Get-OpsSandbox lists them as Services; tab completion after -Service offers them), and the platform services whose synthetic traffic the sandbox's metrics follow: api-service, auth-service, llm-service, chatbot-service and proposal-service (Get-OpsSandbox lists them as PlatformServices). On a platform service, -ErrorRate makes that share of its requests answer 500 or 503 and -Latency adds to every request's latency, as its Prometheus metrics then show: an error rate above 5% makes the HighErrorRate alert fire within about 30 seconds. Another name is an error (SandboxServiceUnknown) that names them, and so are bad rates, errors or latencies (SandboxFaultsInvalid): both are checked before anything is changed, also under -WhatIf. When no sandbox is running the error id is SandboxNotRunning.
'@
    Parameters  = @{
        Service           = 'One of the running sandbox''s emulated services (s3, kubernetes, rds or eks) or platform services (api-service, auth-service, llm-service, chatbot-service, proposal-service), or * for all services. Tab completion offers them. The default is *.'
        ErrorRate         = 'The share of requests answered with an error, from 0 to 1.'
        Error             = 'The errors to choose from, as STATUS or STATUS:Code, such as 503:SlowDown, 400:Throttling or 500.'
        Latency           = 'Latency added to every request: milliseconds as 250ms, or seconds.'
        DropRate          = 'The share of requests whose connection is dropped without an answer, from 0 to 1.'
        Reset             = 'Clears the faults of every service.'
        ResetRequestCount = 'With -Reset, also sets the request counts back to zero.'
    }
    Examples    = @(
        @{
            Title   = 'Make S3 fail now and then'
            Code    = 'Set-OpsSandboxFault -Service s3 -ErrorRate 0.2 -Error 503:SlowDown, 500:InternalError'
            Remarks = 'Makes one S3 request in five fail with SlowDown or InternalError.'
        }
        @{
            Title   = 'Slow down the Kubernetes API'
            Code    = 'Set-OpsSandboxFault -Service kubernetes -Latency 500ms -DropRate 0.05'
            Remarks = 'Adds half a second to every Kubernetes API request and drops one connection in twenty, to rehearse a node drain on a slow, flaky cluster.'
        }
        @{
            Title   = 'Rehearse the High Error Rate response'
            Code    = 'Set-OpsSandboxFault -Service api-service -ErrorRate 0.3'
            Remarks = 'Makes about 30% of api-service''s requests answer 5xx: its error rate shows in the sandbox''s Prometheus at once, and HighErrorRate fires for service api-service within about 30 seconds.'
        }
        @{
            Title   = 'Back to a healthy sandbox'
            Code    = 'Set-OpsSandboxFault -Reset -ResetRequestCount'
            Remarks = 'Back to a healthy sandbox with fresh request counts.'
        }
    )
    Links       = @('Start-OpsSandbox', 'Get-OpsSandbox', 'Set-OpsSandboxClock')
}
