@{
    Synopsis    = 'Removes stakeholder channels from a context.'
    Description = @'
Remove-OpsNotificationChannel removes channels from the active context (or -Context). The files that hold their secrets are left alone. A name the context does not have is NotificationChannelNotFound (non-terminating: the other names are still removed).
'@
    Parameters  = @{
        Name = 'The channels to remove.'
        Context = 'The context to change; default the active context.'
        Force = 'Skips the confirmation prompt (never -WhatIf).'
    }
    Examples    = @(
        @{
            Title   = 'Stop sending to Teams'
            Code    = 'Remove-OpsNotificationChannel ops-teams'
            Remarks = 'The active context no longer names the ops-teams channel.'
        }
    )
    Links       = @('Add-OpsNotificationChannel', 'Get-OpsNotificationChannel')
}
