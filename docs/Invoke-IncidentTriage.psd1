@{
    Synopsis    = 'Runs the Incident Response runbook''s investigation steps for a common incident and names the resolution step.'
    Description = @'
Invoke-IncidentTriage runs, in the runbook's order, the investigation steps of one of its common incidents and returns what each found as evidence (Ok, Problem, Info, Unknown when its source failed, Skipped when its source is not configured), then the matching resolution step, named as the command to run.

DatabaseConnection: the RDS instance's status and parameter apply status; pg_isready from inside a pod of the application (-AppDeployment, over the Kubernetes exec API, as the runbook's kubectl exec does); a login with the credentials in the app's secret (-DbSecretName); the errors in the newest DB error log; connections in use against max_connections (as Get-DbActivity reads them); the instance's security groups and subnets; the recent rollouts and Argo CD syncs. It points to a connection limit (Set-DbParameter max_connections and Restart-DbInstance), credentials (Update-DbConnectionSecret), an instance not available (Wait-DbInstance), the network (Get-DbSecurityGroup) or an overload (Stop-DbQuery, Set-DbInstanceClass).

LlmDegradation: the llm-service's configuration (provider, fallback, rate limit), its error lines, Langfuse's error rate, latency and prompt size by model, the recent changes. It points to throttling (Set-LlmRequestLimit), the fallback provider (Switch-LlmProvider), long prompts (Get-LlmTrace) or more replicas (Set-DeploymentScale). The provider's own status page is outside the cluster and is not read.

HighErrorRate: the services above the error-rate threshold (Prometheus), their error lines, pod and node pressure, the recent changes; it points to a rollback (Undo-Deployment) or scaling.

A step that cannot be read never stops the others. With an incident (-Incident, else the current one from New-Incident or Use-Incident) each piece of evidence and the resolution are attached to it as Finding notes, in one journaled change: -WhatIf reads everything and attaches nothing; -NoAttach leaves the incident alone. The triage itself changes nothing.
'@
    Parameters  = @{
        Symptom = 'DatabaseConnection, LlmDegradation or HighErrorRate: which of the runbook''s common incidents to investigate.'
        Incident = 'The incident to attach the evidence to; defaults to the current one (Use-Incident, New-Incident, $env:REALESTATEOPS_INCIDENT_ID). Taken from the pipeline by property name (Id).'
        NoAttach = 'Attach nothing, not even to the current incident.'
        DbInstanceId = 'The RDS instance (DatabaseConnection); defaults to the context''s DbInstanceId.'
        Namespace = 'The application''s namespace; defaults to the context''s.'
        AppDeployment = 'The deployment whose pod runs pg_isready (default api-service).'
        LlmDeployment = 'The LLM service''s deployment (default llm-service).'
        DbSecretName = 'The app''s database secret whose credentials are tried (default db-credentials).'
        Since = 'How far back logs, metrics and changes are read (default 1h; 30m, 2h, 00:45:00).'
        Credential = 'The database login for the connection count; defaults to the context''s (DbUser with its pass file).'
        Kubeconfig = 'The kubeconfig; defaults to the context''s, then KUBECONFIG.'
        KubeContext = 'The kubeconfig context; defaults to the context''s, then the kubeconfig''s current one.'
        PrometheusUrl = 'Prometheus (HighErrorRate); defaults to the context''s ServiceUrls[''prometheus''].'
        LangfuseUrl = 'Langfuse (LlmDegradation); defaults to the context''s ServiceUrls[''langfuse''].'
        Region = 'The AWS region (RDS and EC2 for DatabaseConnection). Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Triage a database connection incident without touching any incident'
            Code    = 'Invoke-IncidentTriage -Symptom DatabaseConnection -NoAttach'
            Remarks = 'The evidence of each step and the resolution step to run.'
        }
        @{
            Title   = 'Attach the evidence to the current incident and read what the triage suggests'
            Code    = '(Invoke-IncidentTriage DatabaseConnection).Resolution'
            Remarks = 'Each step''s evidence becomes a Finding note of the current incident; the resolution names the command, for example Set-DbParameter and Restart-DbInstance for a connection limit.'
        }
        @{
            Title   = 'Only the problems of an LLM degradation in the last 30 minutes'
            Code    = 'Invoke-IncidentTriage -Symptom LlmDegradation -Since 30m -NoAttach | Select-Object -ExpandProperty Evidence | Where-Object Status -ne Ok'
            Remarks = 'The steps that found a problem or could not tell, with why.'
        }
    )
    Links       = @('New-Incident', 'Add-IncidentNote', 'Get-DbActivity', 'Set-DbParameter', 'Restart-DbInstance', 'Invoke-PodCommand', 'Get-AlertInvestigation')
}
