@{
    Synopsis    = 'Notifies stakeholders (Slack, Microsoft Teams, PagerDuty) of what happened, why, the current status and who acted.'
    Description = @'
Send-OpsNotification posts a notice to the stakeholder channels named in the active context (Add-OpsNotificationChannel, Get-OpsNotificationChannel): Slack-compatible incoming webhooks (a header and the why/status/by fields as blocks, with a plain text fallback; success is HTTP 200 with the body "ok", anything else, such as 400 invalid_payload, 403 invalid_token or 404 no_service, is a failure with Slack's answer), Microsoft Teams webhooks (an Adaptive Card in attachments; 200 or 202) and PagerDuty's Events API v2 (trigger, acknowledge or resolve, with a dedup key; 202 with status "success"). A channel whose MinimumSeverity is above -Severity is skipped.

It writes one NotificationResult per channel (Channel, Kind, Delivered, StatusCode, DedupKey, ErrorId, Message). A channel that fails is a non-terminating error with its id (NotificationRejected with the service's answer, NotificationUnreachable, NotificationTimeout, NotificationSecretMissing, NotificationSecretFileNotFound) and the others are still sent; 429 and 503 answers are retried, honouring Retry-After. Webhook URLs and routing keys are secrets: read from the channel's file or environment variable when the notice is sent, never written to messages, verbose output or the journal. -WhatIf sends nothing; the journal records the notice (title, reason, status, severity) and the channel names.

Other commands send their notices through the same engine (OpsNotifier), e.g. Undo-ArgoApplication -Notify.
'@
    Parameters  = @{
        Title = 'What happened, e.g. "Rolled back api-service to v1.1.0". The Slack header, the Teams card''s title, PagerDuty''s summary.'
        Reason = 'Why it happened, or why it was done.'
        Status = 'The current status, e.g. "Synced and Healthy; smoke tests pass".'
        Severity = 'Info (default), Warning or Critical. PagerDuty gets info, warning or critical; a channel with a higher MinimumSeverity is skipped.'
        Channel = 'The channels to send to (wildcards allowed); default every channel of the context. A name that matches none is NotificationChannelNotFound.'
        Actor = 'Who acted; default the operating system user.'
        Component = 'The component concerned (PagerDuty''s payload.component), e.g. api-service.'
        Link = 'Links to add (a dashboard, the Argo CD application).'
        PagerDutyAction = 'For PagerDuty channels: Trigger (default), Acknowledge or Resolve. Acknowledge and Resolve need -DedupKey.'
        DedupKey = 'PagerDuty''s dedup key: the incident to acknowledge or resolve; for a trigger, PagerDuty makes one when it is omitted (the result shows it).'
    }
    Examples    = @(
        @{
            Title   = 'Tell the team about a rollback'
            Code    = 'Send-OpsNotification -Title ''Rolled back api-service to v1.1.0'' -Reason ''v1.2.0 failed its smoke tests'' -Status ''Synced and Healthy; smoke tests pass'' -Channel ops-slack, ops-teams'
            Remarks = 'Posts to the Slack and Teams channels of the context; one result per channel.'
        }
        @{
            Title   = 'Page on-call, then resolve the incident'
            Code    = @'
$page = Send-OpsNotification -Title 'api-service error rate 12%' -Reason 'HighErrorRate fired' -Status 'Investigating' -Severity Critical -Channel oncall -DedupKey api-service-errors
Send-OpsNotification -Title 'api-service error rate back to 0.2%' -Reason 'Rolled back to v1.1.0' -Status 'Resolved' -Severity Critical -Channel oncall -PagerDutyAction Resolve -DedupKey api-service-errors
'@
            Remarks = 'Triggers a PagerDuty incident with a dedup key, then resolves it with the same key.'
        }
        @{
            Title   = 'Stop a script when no one was told'
            Code    = 'Send-OpsNotification -Title ''Database restored'' -Reason ''Point-in-time recovery'' -Status ''Serving'' -Severity Warning -ErrorAction Stop'
            Remarks = 'Every channel that takes Warning notices; a channel that fails throws (its error id says why).'
        }
    )
    Links       = @('Add-OpsNotificationChannel', 'Get-OpsNotificationChannel', 'Remove-OpsNotificationChannel', 'Get-OpsJournal')
}
