@{
    Synopsis    = 'Syncs an Argo CD application to its target revision or another one; -Wait waits for Synced and Healthy.'
    Description = @'
Sync-ArgoApplication starts a sync as argocd app sync does (POST /api/v1/applications/{name}/sync): to the application''s target revision, or to -Revision (a commit, tag or branch). -DryRun asks Argo CD what it would do without applying anything. -Prune also deletes live resources that are no longer in git: that is destructive, so it asks for confirmation even when $ConfirmPreference would not (-Force or -Confirm:$false skip the question; -WhatIf changes nothing). A sync that Argo CD may have started is never sent twice: a POST is not retried after a server error or a dropped connection.

-Wait then waits as Wait-ArgoApplication does (Synced, Healthy, no operation in progress; fails fast with ArgoApplicationDegraded or ArgoOperationFailed), and the journal entry covers the wait. The change is journaled (Succeeded, Failed with its id, WhatIf, Declined).

Errors: ArgoOperationInProgress (another operation is running: wait for it or Stop-ArgoOperation), ArgoApplicationNotFound, ArgoInvalidArgument (an unknown revision), ArgoWaitTimeout.
'@
    Parameters  = @{
        Name = 'The application. Binds by property name.'
        Revision = 'The git revision to sync to (commit, tag or branch) instead of the target revision.'
        Prune = 'Delete live resources that are no longer in git. Asks for confirmation (-Force skips the question).'
        DryRun = 'Ask Argo CD what the sync would do; nothing is applied.'
        Wait = 'Wait for Synced, Healthy and the end of the operation; the journal entry covers the wait.'
        Timeout = 'How long -Wait waits: seconds or 90s, 10m. The default is 10 minutes.'
        Force = 'Skip the confirmation prompts, the one -Prune asks included (never -WhatIf).'
        Server = 'The Argo CD server: host:port (https, as the argocd CLI takes it) or an http(s) URL. Unset: ARGOCD_SERVER, else the argocd CLI''s config file (current context, under $ARGOCD_CONFIG_DIR, ~/.argocd or ~/.config/argocd), else the context''s ServiceUrls argocd (Start-OpsSandbox sets it to the sandbox''s).'
        TokenFile = 'A file holding the API token (one line; keep it 0600). The token itself is never a parameter. Unset: ARGOCD_AUTH_TOKEN, else the argocd CLI config file''s user, else the context''s ArgoCdTokenFile.'
        Insecure = 'Do not check the server''s TLS certificate (as argocd --insecure). Also set by ARGOCD_OPTS --insecure or the config file''s insecure: true.'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Application maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it.'
        Reason = 'Why the change cannot wait for the Application window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
    }
    Examples    = @(
        @{
            Title   = 'Deploy the target revision and wait'
            Code    = 'Sync-ArgoApplication real-estate-ai -Wait'
            Remarks = 'What a merge to main triggers, by hand: sync, then wait until Synced and Healthy.'
        }
        @{
            Title   = 'Deploy a release tag'
            Code    = 'Sync-ArgoApplication real-estate-ai -Revision v1.1.0 -WhatIf'
            Remarks = 'What a sync to the tag would do; nothing is sent under -WhatIf.'
        }
    )
    Links       = @('Wait-ArgoApplication', 'Stop-ArgoOperation', 'Undo-ArgoApplication')
}
