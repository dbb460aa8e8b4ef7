@{
    Synopsis    = 'Shows Argo CD applications: sync status, health, revision, the running operation, and what is out of sync or unhealthy.'
    Description = @'
Get-ArgoApplication reads applications from argocd-server''s REST API (GET /api/v1/applications and /api/v1/applications/{name}): the sync status (Synced, OutOfSync, Unknown), the health (Healthy, Progressing, Degraded, Suspended, Missing, Unknown), the revision deployed last and the one git''s target revision resolves to, whether automated sync is on, the phase and message of the running or last operation, the images, and the resources that are out of sync (status.resources) or unhealthy. Since Argo CD 3.0 per-resource health lives only in the resource tree, so for an application that is not Healthy the tree is read too (one more request); a Healthy one has no unhealthy resource to name.

Without -Name every application is listed (Argo CD does not page the list: one request, streamed, so Get-ArgoApplication | Select-Object -First 1 makes one list request). -Name takes wildcards; exact names are read one by one. Argo CD answers "permission denied" for an application that does not exist as well as for one the account may not see, so that is ArgoApplicationNotFound, "not found or not permitted".

Errors: ArgoApplicationNotFound, ArgoUnauthenticated (the token was refused), ArgoCdServerNotSet and ArgoCdTokenNotSet (nothing says where Argo CD is or who we are), ArgoCdUnreachable, ArgoCdTimeout.
'@
    Parameters  = @{
        Name = 'Application names; wildcards are allowed. Binds by property name.'
        Project = 'Only applications of this Argo CD project (the list''s projects filter; the project of a named application).'
        Refresh = 'Ask Argo CD to compare with git again before answering (refresh=normal), for named applications.'
        Server = 'The Argo CD server: host:port (https, as the argocd CLI takes it) or an http(s) URL. Unset: ARGOCD_SERVER, else the argocd CLI''s config file (current context, under $ARGOCD_CONFIG_DIR, ~/.argocd or ~/.config/argocd), else the context''s ServiceUrls argocd (Start-OpsSandbox sets it to the sandbox''s).'
        TokenFile = 'A file holding the API token (one line; keep it 0600). The token itself is never a parameter. Unset: ARGOCD_AUTH_TOKEN, else the argocd CLI config file''s user, else the context''s ArgoCdTokenFile.'
        Insecure = 'Do not check the server''s TLS certificate (as argocd --insecure). Also set by ARGOCD_OPTS --insecure or the config file''s insecure: true.'
    }
    Examples    = @(
        @{
            Title   = 'Show the platform''s application'
            Code    = 'Get-ArgoApplication real-estate-ai'
            Remarks = 'Sync status, health, revision and operation of the platform, as the runbook checks: Synced and Healthy.'
        }
        @{
            Title   = 'List applications that need attention'
            Code    = 'Get-ArgoApplication | Where-Object { $_.SyncStatus -ne ''Synced'' -or $_.Health -ne ''Healthy'' } | Format-List Name, SyncStatus, Health, UnhealthyResources, OutOfSyncResources'
            Remarks = 'The applications that are not Synced and Healthy, with the resources to look at.'
        }
    )
    Links       = @('Get-ArgoHistory', 'Wait-ArgoApplication', 'Sync-ArgoApplication', 'Undo-ArgoApplication')
}
