@{
    Synopsis    = 'Lists an Argo CD applications deployments, newest first, with the git tag of each revision.'
    Description = @'
Get-ArgoHistory reads the application''s history (status.history: id, revision, deployed at, initiated by, automated) newest first and, for each entry as it is written, asks Argo CD for the revision''s metadata (GET /api/v1/applications/{name}/revisions/{revision}/metadata) to show the git tag that points at it (a v* tag first): the runbook''s "previous stable version" (git tag -l "v*"). The newest entry is the current deployment (IsCurrent). An entry whose revision Argo CD cannot describe has no tag, with a verbose note.

Undo-ArgoApplication -ToHistoryId takes the Id shown here.
'@
    Parameters  = @{
        Name = 'The application. Binds by property name from Get-ArgoApplication.'
        Last = 'Only the newest n entries (one metadata request each).'
        Server = 'The Argo CD server: host:port (https, as the argocd CLI takes it) or an http(s) URL. Unset: ARGOCD_SERVER, else the argocd CLI''s config file (current context, under $ARGOCD_CONFIG_DIR, ~/.argocd or ~/.config/argocd), else the context''s ServiceUrls argocd (Start-OpsSandbox sets it to the sandbox''s).'
        TokenFile = 'A file holding the API token (one line; keep it 0600). The token itself is never a parameter. Unset: ARGOCD_AUTH_TOKEN, else the argocd CLI config file''s user, else the context''s ArgoCdTokenFile.'
        Insecure = 'Do not check the server''s TLS certificate (as argocd --insecure). Also set by ARGOCD_OPTS --insecure or the config file''s insecure: true.'
    }
    Examples    = @(
        @{
            Title   = 'Show the deployments of the platform'
            Code    = 'Get-ArgoHistory real-estate-ai'
            Remarks = 'Each deployment with its history id, tag, revision, time and who started it; the current one is marked.'
        }
        @{
            Title   = 'Find the previous stable version'
            Code    = 'Get-ArgoApplication real-estate-ai | Get-ArgoHistory -Last 2 | Where-Object { -not $_.IsCurrent }'
            Remarks = 'The deployment before the current one: what Undo-ArgoApplication goes back to by default.'
        }
    )
    Links       = @('Get-ArgoApplication', 'Undo-ArgoApplication')
}
