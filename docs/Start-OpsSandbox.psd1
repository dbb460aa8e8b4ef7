@{
    Synopsis    = 'Starts the local sandbox that emulates the platform''s control planes, for rehearsals, demos and tests.'
    Description = @'
Start-OpsSandbox starts the sandbox program shipped in the module's sandbox folder in the background, on 127.0.0.1 only, and waits until it answers. The sandbox hosts the platform database (real_estate_ai, with properties, listings, proposals, chat sessions and property embeddings) on a PostgreSQL server of its own, started in a new folder under a random name (in the sandbox's state folder, or, as root, a folder of the postgres user's in the temp folder), readable only by its owner; a state folder whose path holds shell characters is refused (PostgresPathUnsafe). Set REALESTATEOPS_SANDBOX_PG to an admin connection string to use an existing server instead: the sandbox then only alters a role and seeds a database it created itself (marked with a comment), and refuses existing ones (SandboxRoleNotOwned, SandboxDatabaseNotOwned). Emulated services speak the real wire protocols, so real clients work against them too.

It then writes a context named sandbox that points every endpoint and the database at it (the database password goes to a password file readable only by you). Switch to it with Use-OpsContext sandbox. Stop it with Stop-OpsSandbox. Only one sandbox runs per user: starting a second one is an error (SandboxAlreadyRunning), as is a port already in use (SandboxPortInUse).

It also runs the real Prometheus and Alertmanager (Debian's prometheus and prometheus-alertmanager packages, which build.ps1 installs where missing) on free loopback ports, in a new monitoring-<random> folder (0700) of its state folder: Prometheus scrapes the sandbox's platform metrics every 2 seconds as job platform (request counts and latencies of api-service, auth-service, llm-service, chatbot-service and proposal-service, following the pods of the Kubernetes sandbox; pod restarts and resource requests; node CPU, memory, disk and cordons; the platform database's connections; business and LLM counters), evaluates the PrometheusRule objects of the Kubernetes sandbox every 2 seconds (platform-alerts in namespace monitoring: HighErrorRate, HighLatencyP95, PodRestartingOften, DatabaseConnectionsHigh) and sends alerts to the Alertmanager, whose receiver is a webhook back to the sandbox (GET /_sandbox/monitoring/notifications lists what it sent). The output's PrometheusUrl and AlertmanagerUrl say where they listen, and the sandbox context gets them as ServiceUrls prometheus and alertmanager. Stop-OpsSandbox stops them (only the processes the sandbox started, by the ids it recorded). Without the programs, or with -NoMonitoring, the sandbox starts without them and MonitoringMessage says why.

Every start, the sandbox makes new secrets of its own, and accepts nothing without them. It hands them to you only in files readable by you alone (0600), never in its command line, environment or log, and names those files, with its ports, key ids and certificate, in its info file (sandbox-info.json in the state folder, 0600), which Start-OpsSandbox reads to write the context: its control endpoints (/_sandbox/..., all but /_sandbox/health) need the control token, in the file the output's ControlTokenFile names (send it as 'Authorization: Bearer TOKEN' or 'X-Sandbox-Token: TOKEN'); S3 and RDS requests must be signed (AWS Signature Version 4) with the keys in the state folder's aws-credentials file (profile sandbox, and sandbox-readonly, which may only read); the Kubernetes API accepts only the tokens in the kubeconfig it writes, which points kubectl at a second loopback port served over TLS with a certificate made for this start (kubectl sends tokens only over TLS). These files can be read only by you (0600). Requests whose Host header is not 127.0.0.1, localhost or [::1] on the sandbox's port are refused (421), so a web page cannot reach it by rebinding its own name.
'@
    Parameters  = @{
        Port      = 'The TCP port on 127.0.0.1. By default a free port is chosen.'
        Speed     = 'The clock speed factor for state transitions: 10 makes something that takes ten minutes on AWS take one minute. At 1 a snapshot takes about 2 minutes and a restore about 7, as on AWS; at 60, 2 and 7 seconds. Greater than 0 and at most 10000; the default is 1. Set-OpsSandboxClock changes it while the sandbox runs.'
        FaultRate = 'The share of requests to emulated services that fail with throttling or server errors, from 0 to 1 (0.2 is 20%). The default is 0. Set-OpsSandboxFault changes it per service later.'
        Timeout   = 'How long to wait for the sandbox to answer: seconds, or a value such as 90s or 2m. The default is 2 minutes.'
        NoMonitoring = 'Starts the sandbox without its Prometheus and Alertmanager (they run by default when installed). PrometheusUrl and AlertmanagerUrl are then empty, and MonitoringMessage says monitoring is off.'
    }
    Examples    = @(
        @{
            Title   = 'Start the sandbox and work against it'
            Code    = 'Start-OpsSandbox; Use-OpsContext sandbox; Test-DbConnection'
            Remarks = 'Starts the sandbox, switches to it and tests its database.'
        }
        @{
            Title   = 'See where Prometheus and Alertmanager run'
            Code    = '$s = Get-OpsSandbox; $s.PrometheusUrl; $s.AlertmanagerUrl; $s.MonitoringMessage'
            Remarks = 'Shows the sandbox''s Prometheus and Alertmanager URLs (open them in a browser to see targets, rules and alerts), or why monitoring is off.'
        }
        @{
            Title   = 'Rehearse a runbook fast and under bad conditions'
            Code    = 'Start-OpsSandbox -Port 4566 -Speed 20 -FaultRate 0.2'
            Remarks = 'Starts the sandbox on a fixed port with a fast clock and 20% injected faults, to rehearse a runbook under bad conditions.'
        }
    )
    Links       = @('Stop-OpsSandbox', 'Get-OpsSandbox', 'Set-OpsSandboxClock', 'Set-OpsSandboxFault', 'Use-OpsContext')
}
