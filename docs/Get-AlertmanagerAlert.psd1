@{
    Synopsis    = 'Lists the alerts Alertmanager holds (amtool alert query), with whether a silence or an inhibition mutes them.'
    Description = @'
Get-AlertmanagerAlert reads Alertmanager's alerts (API v2 GET /api/v2/alerts): one object per alert with its Name (alertname), State (Active: notified; Suppressed: muted by a silence or an inhibition; Unprocessed), Severity, Namespace, Service, the silences that mute it (SilencedBy, and Silenced), the alerts that inhibit it, its receivers, labels, annotations and start time. Prometheus sends its firing alerts here; Get-PromAlert shows the same alerts from Prometheus' side, pending ones included.

-Name and -Matcher are Alertmanager's filter (alertname=..., any label matcher); -State keeps alerts in those states; -Silenced keeps only the alerts a silence mutes, which is how to check that a silence does what it should. The Alertmanager is -AlertmanagerUrl, else the context's ServiceUrls['alertmanager'].
'@
    Parameters  = @{
        Name = 'Alert names (the alertname label); several are matched as one regular expression.'
        Matcher = 'Label matchers every listed alert satisfies: service=api-service, severity=~"critical|warning".'
        State = 'Only alerts in these states: Active (notified), Suppressed (silenced or inhibited), Unprocessed.'
        Silenced = 'Only the alerts a silence mutes.'
        AlertmanagerUrl = 'The Alertmanager''s URL (http://host:9093). Defaults to the context''s ServiceUrls[''alertmanager''], which Start-OpsSandbox sets to the sandbox''s Alertmanager.'
    }
    Examples    = @(
        @{
            Title   = 'List the alerts Alertmanager holds'
            Code    = 'Get-AlertmanagerAlert'
            Remarks = 'Every alert with its state and the silences that mute it.'
        }
        @{
            Title   = 'Check that a silence mutes High Error Rate'
            Code    = 'Get-AlertmanagerAlert -Name HighErrorRate -Silenced | Select-Object Service, State, SilencedBy'
            Remarks = 'The HighErrorRate alerts a silence mutes, with the silence ids.'
        }
    )
    Links       = @('Get-AlertSilence', 'New-AlertSilence', 'Get-PromAlert')
}
