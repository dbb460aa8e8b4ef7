@{
    Synopsis    = 'Terminates the running operation (sync) of an Argo CD application, as argocd app terminate-op does.'
    Description = @'
Stop-ArgoOperation asks Argo CD to terminate the application''s running operation (DELETE /api/v1/applications/{name}/operation): the phase goes to Terminating, then Failed. What was applied already stays applied. It asks for confirmation when $ConfirmPreference is Medium or lower, and is journaled.
'@
    Parameters  = @{
        Name = 'The application. Binds by property name.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Server = 'The Argo CD server: host:port (https, as the argocd CLI takes it) or an http(s) URL. Unset: ARGOCD_SERVER, else the argocd CLI''s config file (current context, under $ARGOCD_CONFIG_DIR, ~/.argocd or ~/.config/argocd), else the context''s ServiceUrls argocd (Start-OpsSandbox sets it to the sandbox''s).'
        TokenFile = 'A file holding the API token (one line; keep it 0600). The token itself is never a parameter. Unset: ARGOCD_AUTH_TOKEN, else the argocd CLI config file''s user, else the context''s ArgoCdTokenFile.'
        Insecure = 'Do not check the server''s TLS certificate (as argocd --insecure). Also set by ARGOCD_OPTS --insecure or the config file''s insecure: true.'
    }
    Examples    = @(
        @{
            Title   = 'Stop a sync that hangs'
            Code    = 'Stop-ArgoOperation real-estate-ai'
            Remarks = 'Terminates the running sync; Get-ArgoApplication then shows the operation Failed.'
        }
    )
    Links       = @('Sync-ArgoApplication', 'Get-ArgoApplication')
}
