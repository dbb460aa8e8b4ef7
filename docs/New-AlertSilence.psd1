@{
    Synopsis    = 'Silences alerts in Alertmanager (amtool silence add): the alerts the matchers select, for a duration or until a time, with a comment saying why.'
    Description = @'
New-AlertSilence creates an Alertmanager silence through its API v2 (POST /api/v2/silences) and writes the silence as Alertmanager then reports it: Id, State (Active, or Pending when -Start is later), Matchers, StartsAt, EndsAt, CreatedBy and Comment. An alert is muted when it satisfies every matcher. Matchers are written as amtool writes them: alertname=HighErrorRate, service=~"api.*" (a regular expression, anchored), severity!=info, namespace!~"kube-.*".

The silence is checked before anything is sent: a matcher that cannot be read is AlertMatcherInvalid; no matcher, matchers that would all match alerts without the label (a silence of everything), or an end not after the start or already past is SilenceInvalid; no comment is SilenceCommentRequired. What Alertmanager itself refuses (a regular expression its parser cannot read) is SilenceInvalid with Alertmanager's message. The Alertmanager is -AlertmanagerUrl, else the context's ServiceUrls['alertmanager'] (Start-OpsSandbox sets it to the sandbox's real Alertmanager); one that cannot be reached is AlertmanagerUnreachable. The silence is journaled; -WhatIf sends nothing.

The runbook's High Error Rate response silences the alert while it is being worked on and expires the silence (Remove-AlertSilence) once the service is healthy again; Invoke-NodeDrain, Update-EksNodeGroup and Invoke-EksUpgrade do it for their own change with -SilenceAlerts.
'@
    Parameters  = @{
        Matcher = 'Label matchers, all of which an alert must satisfy: name=value, name!=value, name=~regex, name!~regex; a value may be quoted ("...").'
        Duration = 'How long the silence lasts from its start: seconds, 90s, 30m, 2h or hh:mm:ss. The default is 1 hour.'
        Start = 'When the silence starts; by default now. A time without a zone is UTC.'
        End = 'When the silence ends, instead of -Duration. A time without a zone is UTC.'
        Comment = 'Why (an incident or change id). Required: Alertmanager shows it with the silence.'
        CreatedBy = 'Who the silence is by; defaults to the user running the command.'
        AlertmanagerUrl = 'The Alertmanager''s URL (http://host:9093). Defaults to the context''s ServiceUrls[''alertmanager''], which Start-OpsSandbox sets to the sandbox''s Alertmanager.'
    }
    Examples    = @(
        @{
            Title   = 'Silence High Error Rate while it is being worked on'
            Code    = 'New-AlertSilence -Matcher alertname=HighErrorRate, service=api-service -Duration 30m -Comment ''INC-42: rolling back api-service'''
            Remarks = 'Mutes HighErrorRate for api-service for 30 minutes; the silence is written with its id, which Remove-AlertSilence takes.'
        }
        @{
            Title   = 'Silence a namespace''s restart alerts during a maintenance window'
            Code    = 'New-AlertSilence -Matcher alertname=PodRestartingOften, ''namespace=~"real-estate-ai|monitoring"'' -End (Get-MaintenanceWindow -Kind Kubernetes | Select-Object -First 1).End.UtcDateTime -Comment ''CHG-7 node rotation'''
            Remarks = 'A regular-expression matcher, until the Kubernetes maintenance window closes.'
        }
    )
    Links       = @('Get-AlertSilence', 'Remove-AlertSilence', 'Get-AlertmanagerAlert', 'Invoke-NodeDrain')
}
