@{
    Synopsis    = 'Waits until an Argo CD application is Synced and Healthy with no operation in progress, as argocd app wait does.'
    Description = @'
Wait-ArgoApplication polls the application (with Write-Progress) until it is Synced, Healthy and has no operation requested or running, which is what argocd app wait checks by default. It fails fast instead of waiting out the timeout: ArgoOperationFailed when the operation ends Failed or Error, and ArgoApplicationDegraded when the health Argo CD computed after the operation finished is Degraded (the message names the unhealthy resources from the resource tree). ArgoWaitTimeout after -Timeout. Ctrl+C stops the wait at once; what Argo CD is doing goes on.
'@
    Parameters  = @{
        Name = 'The application. Binds by property name.'
        Timeout = 'How long to wait: seconds or 90s, 10m. The default is 10 minutes.'
        Server = 'The Argo CD server: host:port (https, as the argocd CLI takes it) or an http(s) URL. Unset: ARGOCD_SERVER, else the argocd CLI''s config file (current context, under $ARGOCD_CONFIG_DIR, ~/.argocd or ~/.config/argocd), else the context''s ServiceUrls argocd (Start-OpsSandbox sets it to the sandbox''s).'
        TokenFile = 'A file holding the API token (one line; keep it 0600). The token itself is never a parameter. Unset: ARGOCD_AUTH_TOKEN, else the argocd CLI config file''s user, else the context''s ArgoCdTokenFile.'
        Insecure = 'Do not check the server''s TLS certificate (as argocd --insecure). Also set by ARGOCD_OPTS --insecure or the config file''s insecure: true.'
    }
    Examples    = @(
        @{
            Title   = 'Wait for the platform to settle'
            Code    = 'Wait-ArgoApplication real-estate-ai -Timeout 5m'
            Remarks = 'Returns the application once it is Synced and Healthy; fails at once when it turns Degraded.'
        }
    )
    Links       = @('Get-ArgoApplication', 'Sync-ArgoApplication')
}
