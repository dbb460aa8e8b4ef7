@{
    Synopsis    = 'Lists Alertmanager silences (amtool silence query): by id, matchers or state.'
    Description = @'
Get-AlertSilence reads the silences of the Alertmanager (API v2 GET /api/v2/silences) and writes one object per silence: Id, State (Active, Pending, Expired), Matchers, StartsAt, EndsAt, CreatedBy and Comment, in Alertmanager's order (active ones first). -Matcher is Alertmanager's own filter: a silence is listed when it has a matcher on each named label whose value the given matcher accepts (Get-AlertSilence -Matcher alertname=HighErrorRate lists the silences of HighErrorRate). -State keeps the silences in those states. -Id reads the given silences one by one (GET /api/v2/silence/{id}); an unknown one is a SilenceNotFound error and the others are still listed.

The output pipes to Remove-AlertSilence. The Alertmanager is -AlertmanagerUrl, else the context's ServiceUrls['alertmanager'].
'@
    Parameters  = @{
        Id = 'Silence ids (UUIDs). Binds by property name, so Get-AlertSilence output and New-AlertSilence output pipe in.'
        Matcher = 'Alertmanager''s filter: only silences with a matcher on each of these labels whose value these matchers accept (alertname=HighErrorRate, service=~"api.*").'
        State = 'Only silences in these states: Active, Pending, Expired.'
        AlertmanagerUrl = 'The Alertmanager''s URL (http://host:9093). Defaults to the context''s ServiceUrls[''alertmanager''], which Start-OpsSandbox sets to the sandbox''s Alertmanager.'
    }
    Examples    = @(
        @{
            Title   = 'List the silences in force'
            Code    = 'Get-AlertSilence -State Active, Pending'
            Remarks = 'What is muted now or will be: matchers, end time, who and why.'
        }
        @{
            Title   = 'Find the silences of one alert'
            Code    = 'Get-AlertSilence -Matcher alertname=HighErrorRate | Format-List Id, State, MatcherText, EndsAt, Comment'
            Remarks = 'Every silence that names HighErrorRate, expired ones included.'
        }
    )
    Links       = @('New-AlertSilence', 'Remove-AlertSilence', 'Get-AlertmanagerAlert')
}
