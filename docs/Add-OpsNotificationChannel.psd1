@{
    Synopsis    = 'Adds a stakeholder channel (Slack or Teams webhook, PagerDuty integration) to a context.'
    Description = @'
Add-OpsNotificationChannel names a channel Send-OpsNotification posts to, in a context (default the active one): its kind, where its secret comes from, and the lowest severity it takes. The secret is never a parameter and never stored in the context: a Slack or Teams channel's secret is its webhook URL, a PagerDuty channel's its integration's routing key, read when a notice is sent from -SecretFile (its first line; the file must exist, and a warning says so when others can read it: chmod 600) or from the environment variable -SecretEnvironmentVariable.

A channel of the same name is replaced only with -Force (NotificationChannelExists otherwise). Start-OpsSandbox's sandbox context has three: ops-slack, ops-teams and oncall (PagerDuty, Warning and above), whose secrets are files the sandbox wrote.
'@
    Parameters  = @{
        Name = 'The channel''s name (letters, digits, ., _ and -), e.g. incidents or oncall.'
        Kind = 'Slack, Teams or PagerDuty.'
        SecretFile = 'A file whose first line is the webhook URL (Slack, Teams) or the routing key (PagerDuty). It must exist; keep it 0600.'
        SecretEnvironmentVariable = 'An environment variable that holds the webhook URL or routing key when a notice is sent.'
        Endpoint = 'PagerDuty only: the Events API URL; default https://events.pagerduty.com/v2/enqueue.'
        MinimumSeverity = 'Info (default), Warning or Critical: notices below it are not sent to this channel.'
        Context = 'The context to add the channel to; default the active context.'
        Force = 'Replaces a channel of the same name.'
    }
    Examples    = @(
        @{
            Title   = 'A Slack channel whose webhook URL is in the environment'
            Code    = 'Add-OpsNotificationChannel -Name incidents -Kind Slack -SecretEnvironmentVariable SLACK_INCIDENTS_WEBHOOK_URL'
            Remarks = 'The URL is read from $env:SLACK_INCIDENTS_WEBHOOK_URL when a notice is sent.'
        }
        @{
            Title   = 'Page only for critical notices'
            Code    = 'Add-OpsNotificationChannel -Name pager -Kind PagerDuty -SecretEnvironmentVariable PAGERDUTY_ROUTING_KEY -MinimumSeverity Critical -Context prod'
            Remarks = 'A PagerDuty channel in the prod context that takes Critical notices only.'
        }
    )
    Links       = @('Get-OpsNotificationChannel', 'Remove-OpsNotificationChannel', 'Send-OpsNotification', 'Set-OpsContext')
}
