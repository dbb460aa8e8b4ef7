@{
    Synopsis    = 'Reads the business metrics, each from where it lives: Prometheus or the platform database.'
    Description = @'
Get-BusinessMetric gives the Monitoring runbook''s business metrics as BusinessMetric objects, each with its Source and the PromQL or SQL that gave it:
- from Prometheus: ActiveUsers (the platform_active_users gauge now), ChatbotConversations, PropertySearches and ProposalsGenerated (the increase of their counters over -Window, default 1h) and ConversionRatePercent (proposals converted as a share of proposals generated over the window), in the context''s namespace. A metric Prometheus has no series for has no value.
- from the platform database: the counts of properties, listings, proposals and chat_sessions, with the context''s database settings (DbHost, DbPort, DbName, DbUser, DbPassFile) as Test-DbConnection uses them, or -Credential. A database that cannot be reached is an error with Test-DbConnection''s id (DbConnectionRefused, DbAuthenticationFailed, ...); a missing table is BusinessTableNotFound and the other counts still come.

-Source keeps one source. A Prometheus that cannot be used does not keep the database''s counts from being read.
'@
    Parameters  = @{
        Window = 'The window of the counters'' increase and of the conversion rate: 1h, 24h, 30m. Defaults to 1h.'
        Source = 'Prometheus, Database, or both (the default).'
        Namespace = 'The platform''s namespace in the metrics. Defaults to the context''s Namespace.'
        Credential = 'The database login. Defaults to the context''s DbUser, with the password from its DbPassFile.'
        DbTimeout = 'How long the database may take to accept the connection. Defaults to 5 seconds.'
        PrometheusUrl = 'Prometheus'' URL. Defaults to the context''s ServiceUrls[''prometheus''].'
        PrometheusCredential = 'A user name and password for a proxy in front of Prometheus (basic auth); else a bearer token from PROMETHEUS_BEARER_TOKEN when set.'
    }
    Examples    = @(
        @{
            Title   = 'The business metrics of the last hour'
            Code    = 'Get-BusinessMetric'
            Remarks = 'Active users, conversations, searches, proposals and the conversion rate from Prometheus, and the database''s counts.'
        }
        @{
            Title   = 'A day of activity from Prometheus only'
            Code    = 'Get-BusinessMetric -Window 24h -Source Prometheus | Select-Object Name, Value, Unit'
            Remarks = 'The counters'' increase over the last 24 hours.'
        }
        @{
            Title   = 'What the database holds'
            Code    = 'Get-BusinessMetric -Source Database | Format-Table Name, Value, Query'
            Remarks = 'The counts of properties, listings, proposals and chat sessions, with the SQL that gave each.'
        }
    )
    Links       = @('Get-ServiceHealth', 'Test-DbConnection', 'Invoke-PromQuery')
}
