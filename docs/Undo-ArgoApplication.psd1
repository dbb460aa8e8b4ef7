@{
    Synopsis    = 'Rolls an Argo CD application back to an earlier deployment (History, Rollback), turning automated sync off first when asked.'
    Description = @'
Undo-ArgoApplication is the Deployment runbook''s rollback: Argo CD History, Rollback, to the deployment before the current one (or -ToHistoryId, as Get-ArgoHistory shows it), with the git tag of both in the output. It is worked out before anything changes: an unknown id (ArgoHistoryEntryNotFound) or a running operation (ArgoOperationInProgress) is refused, under -WhatIf too.

Argo CD refuses a rollback while automated sync is on ("rollback cannot be initiated when auto-sync is enabled"). Without -DisableAutoSync the command refuses at once with ArgoAutoSyncEnabled and changes nothing. With it, automated sync is turned off first (a change of its own, asked and journaled), a warning says so and how to turn it back on (Set-ArgoApplication -AutoSync $true, once git holds a good release), and then the rollback is sent (POST /api/v1/applications/{name}/rollback, never sent twice).

-Wait waits until the rolled-back revision runs Healthy with no operation left (the argocd CLI only waits for the operation; after a rollback Argo CD may show OutOfSync, since git''s target revision is ahead of what runs), failing fast with ArgoApplicationDegraded or ArgoOperationFailed, and then runs Test-Deployment''s check on the application''s namespace; its verdict is in DeploymentCheck. The result says from which deployment to which, whether automated sync was turned off, and the sync and health after it.

-Notify ends with the runbook's last step, "notify stakeholders with the reason and the current status": after the rollback (and the wait, with -Wait) it sends a notice through the context's notification channels (Get-OpsNotificationChannel; -NotifyChannel picks some) saying what was rolled back from which tag to which, the -NotifyReason, the health, sync and deployment check, and that automated sync is off. A channel that does not take it is an error of its own; the rollback stands. With no channel in the context the command is refused before any change.
'@
    Parameters  = @{
        Name = 'The application. Binds by property name.'
        ToHistoryId = 'The history id to go back to (Get-ArgoHistory); by default the entry before the current one.'
        DisableAutoSync = 'Turn automated sync off first when it is on (Argo CD refuses a rollback otherwise). Asked and journaled on its own.'
        Wait = 'Wait until the rolled-back revision runs Healthy, then check the deployments (Test-Deployment). The journal entry covers the wait.'
        Timeout = 'How long -Wait waits: seconds or 90s, 10m. The default is 10 minutes.'
        Force = 'Skip the confirmation prompts (never -WhatIf).'
        Notify = 'After the rollback, notify the stakeholders (Send-OpsNotification''s channels) with what was rolled back, why and how it stands; Warning severity when it did not end Healthy, Info otherwise. Journaled as a change of its own.'
        NotifyReason = 'Why the rollback was made, for the notice. Required with -Notify, unless -IgnoreMaintenanceWindow''s -Reason gives it.'
        NotifyChannel = 'Only these notification channels (wildcards allowed); every channel of the context by default.'
        Server = 'The Argo CD server: host:port (https, as the argocd CLI takes it) or an http(s) URL. Unset: ARGOCD_SERVER, else the argocd CLI''s config file (current context, under $ARGOCD_CONFIG_DIR, ~/.argocd or ~/.config/argocd), else the context''s ServiceUrls argocd (Start-OpsSandbox sets it to the sandbox''s).'
        TokenFile = 'A file holding the API token (one line; keep it 0600). The token itself is never a parameter. Unset: ARGOCD_AUTH_TOKEN, else the argocd CLI config file''s user, else the context''s ArgoCdTokenFile.'
        Insecure = 'Do not check the server''s TLS certificate (as argocd --insecure). Also set by ARGOCD_OPTS --insecure or the config file''s insecure: true.'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Application maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it.'
        Reason = 'Why the change cannot wait for the Application window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
    }
    Examples    = @(
        @{
            Title   = 'Roll back to the previous release and verify it'
            Code    = 'Undo-ArgoApplication real-estate-ai -DisableAutoSync -Wait'
            Remarks = 'Turns automated sync off (with a warning saying how to turn it back on), rolls back to the deployment before the current one, waits until it runs Healthy and checks the deployments.'
        }
        @{
            Title   = 'Roll back, verify and tell the stakeholders'
            Code    = 'Undo-ArgoApplication real-estate-ai -DisableAutoSync -Wait -Force -Notify -NotifyReason ''the new release answers 503'' -NotifyChannel ops-slack'
            Remarks = 'The runbook''s rollback end to end: the notice on the ops-slack channel says from which tag to which, why, and how the application stands after the deployment check.'
        }
        @{
            Title   = 'Roll back to a chosen deployment'
            Code    = 'Get-ArgoHistory real-estate-ai | Where-Object Tag -eq v1.0.0 | ForEach-Object { Undo-ArgoApplication real-estate-ai -ToHistoryId $_.Id -DisableAutoSync }'
            Remarks = 'Goes back to the deployment of tag v1.0.0.'
        }
    )
    Links       = @('Get-ArgoHistory', 'Set-ArgoApplication', 'Test-Deployment', 'Sync-ArgoApplication', 'Send-OpsNotification')
}
