@{
    Synopsis    = 'Expires Alertmanager silences (amtool silence expire): the alerts they muted notify again at once.'
    Description = @'
Remove-AlertSilence expires silences through Alertmanager's API v2 (DELETE /api/v2/silence/{id}). Alertmanager keeps an expired silence (Get-AlertSilence -State Expired lists it) and its alerts are no longer muted. Expiring a silence that is already expired changes nothing. An unknown id is SilenceNotFound, an id that is not a UUID SilenceIdInvalid; each id fails on its own and the others go on.

It takes Get-AlertSilence and New-AlertSilence output from the pipeline and asks before each silence (ConfirmImpact Medium: -Confirm:$false or -Force skips the prompt); -WhatIf sends nothing. Each expiry is journaled. -PassThru writes each silence as it is once expired.
'@
    Parameters  = @{
        Id = 'The silences to expire (UUIDs). Binds by property name from Get-AlertSilence and New-AlertSilence output.'
        MatcherText = 'Set from the pipeline (Get-AlertSilence output): the silence''s matchers, shown in the confirmation prompt.'
        Force = 'Skips the confirmation prompt (never -WhatIf).'
        PassThru = 'Writes each silence as Alertmanager reports it once expired.'
        AlertmanagerUrl = 'The Alertmanager''s URL (http://host:9093). Defaults to the context''s ServiceUrls[''alertmanager''], which Start-OpsSandbox sets to the sandbox''s Alertmanager.'
    }
    Examples    = @(
        @{
            Title   = 'Expire the silences of an alert once it is fixed'
            Code    = 'Get-AlertSilence -Matcher alertname=HighErrorRate -State Active | Remove-AlertSilence -PassThru'
            Remarks = 'Every active silence of HighErrorRate ends now; each is written as expired.'
        }
        @{
            Title   = 'Expire one silence by id'
            Code    = 'Remove-AlertSilence -Id 5d98ca7e-7a3c-42fb-9f65-ead653f91d88 -WhatIf'
            Remarks = 'Shows what would be expired, without sending anything.'
        }
    )
    Links       = @('Get-AlertSilence', 'New-AlertSilence')
}
