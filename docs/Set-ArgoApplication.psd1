@{
    Synopsis    = 'Turns an Argo CD applications automated sync on or off.'
    Description = @'
Set-ArgoApplication -AutoSync changes spec.syncPolicy.automated with a merge patch (PATCH /api/v1/applications/{name}): $false removes it, so Argo CD deploys only on request; $true sets it (no prune, no self-heal), so Argo CD syncs the target revision''s newest commit by itself. After Undo-ArgoApplication -DisableAutoSync, turn it back on only once git holds a good release again, or Argo CD deploys the bad one again. Journaled.
'@
    Parameters  = @{
        Name = 'The application. Binds by property name.'
        AutoSync = '$true: Argo CD syncs new commits by itself; $false: only on request (needed for a rollback).'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Server = 'The Argo CD server: host:port (https, as the argocd CLI takes it) or an http(s) URL. Unset: ARGOCD_SERVER, else the argocd CLI''s config file (current context, under $ARGOCD_CONFIG_DIR, ~/.argocd or ~/.config/argocd), else the context''s ServiceUrls argocd (Start-OpsSandbox sets it to the sandbox''s).'
        TokenFile = 'A file holding the API token (one line; keep it 0600). The token itself is never a parameter. Unset: ARGOCD_AUTH_TOKEN, else the argocd CLI config file''s user, else the context''s ArgoCdTokenFile.'
        Insecure = 'Do not check the server''s TLS certificate (as argocd --insecure). Also set by ARGOCD_OPTS --insecure or the config file''s insecure: true.'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Application maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it.'
        Reason = 'Why the change cannot wait for the Application window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
    }
    Examples    = @(
        @{
            Title   = 'Turn automated sync back on after a rollback'
            Code    = 'Set-ArgoApplication real-estate-ai -AutoSync $true'
            Remarks = 'Once the bad release is reverted in git: Argo CD syncs main again by itself.'
        }
    )
    Links       = @('Undo-ArgoApplication', 'Sync-ArgoApplication')
}
