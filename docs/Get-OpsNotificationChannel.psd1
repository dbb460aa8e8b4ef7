@{
    Synopsis    = 'Lists the stakeholder channels of a context, with where each one''s secret comes from.'
    Description = @'
Get-OpsNotificationChannel lists the channels Send-OpsNotification posts to in the active context (or -Context): name, kind (Slack, Teams, PagerDuty), minimum severity, and the file or environment variable that holds the secret. The secret itself is never read or shown. -Name takes wildcards; an exact name that matches none is NotificationChannelNotFound.
'@
    Parameters  = @{
        Name = 'Channel names; wildcards are allowed.'
        Context = 'The context to read; default the active context.'
    }
    Examples    = @(
        @{
            Title   = 'List the channels'
            Code    = 'Get-OpsNotificationChannel'
            Remarks = 'The channels of the active context.'
        }
        @{
            Title   = 'The Slack-like channels only'
            Code    = 'Get-OpsNotificationChannel ops-* | Where-Object Kind -eq Slack'
            Remarks = 'Channels whose names start with ops-, of kind Slack.'
        }
    )
    Links       = @('Add-OpsNotificationChannel', 'Remove-OpsNotificationChannel', 'Send-OpsNotification')
}
