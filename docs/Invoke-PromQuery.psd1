@{
    Synopsis    = 'Runs a PromQL query (instant or range) and returns typed samples.'
    Description = @'
Invoke-PromQuery sends a PromQL expression to Prometheus' HTTP API: an instant query (/api/v1/query) at -At, else at Prometheus' now, or, with -Start, a range query (/api/v1/query_range) from -Start to -End (default now) every -Step (default: about 250 points over the range). Prometheus is -PrometheusUrl, else the context's ServiceUrls['prometheus'] (Start-OpsSandbox sets it to the sandbox's real Prometheus).

Each value is a PromSample: Metric (the series' labels, a read-only dictionary), Name (the __name__ label), Timestamp, Value (a double; NaN, +Inf and -Inf as Prometheus writes them) and Text (the value as written; a string result's text). A range query's series come one after the other, each in time order; scalars and strings are one sample without labels.

Prometheus' own errors keep their type as the error id, with Prometheus' message: PromBadData (a PromQL parse error, bad parameters), PromExecution, PromTimeout (past -Timeout, Prometheus' own evaluation timeout), PromCanceled, PromInternal, PromUnavailable, PromNotFound. A server that cannot be reached is PrometheusUnreachable, one that does not answer in time PrometheusTimeout, one that is not Prometheus PrometheusApiNotFound or PrometheusResponseInvalid. Warnings in Prometheus' answer are written as warnings. Server errors and an unavailable server are retried; a query Prometheus gave up on is not.
'@
    Parameters  = @{
        Query = 'The PromQL expression. Accepts pipeline input: each query is run in turn, and one that fails does not stop the others.'
        At = 'An instant query''s evaluation time. Defaults to Prometheus'' now.'
        Start = 'Makes it a range query starting at this time.'
        End = 'A range query''s end. Defaults to now.'
        Step = 'A range query''s resolution: 15 (seconds), 30s, 5m. Defaults to the step that gives about 250 points. More than 11,000 points per series is refused before any request (PromTooManyPoints), as Prometheus would.'
        Timeout = 'Prometheus'' evaluation timeout for this query (its timeout parameter): 10s, 1m. Past it Prometheus answers PromTimeout. Defaults to Prometheus'' own (-query.timeout, 2 minutes).'
        PrometheusUrl = 'Prometheus'' URL, such as http://prometheus.monitoring:9090 (a path prefix is kept). Defaults to the context''s ServiceUrls[''prometheus''].'
        PrometheusCredential = 'A user name and password for a proxy in front of Prometheus (basic auth). Without it, a bearer token is read from the PROMETHEUS_BEARER_TOKEN environment variable when set; secrets are never parameters.'
    }
    Examples    = @(
        @{
            Title   = 'Request rate per service'
            Code    = 'Invoke-PromQuery ''sum by (service) (rate(http_requests_total{namespace="real-estate-ai"}[1m]))'''
            Remarks = 'An instant query: one sample per service, with its labels and value.'
        }
        @{
            Title   = 'The error rate of one service over the last ten minutes'
            Code    = 'Invoke-PromQuery ''sum(rate(http_requests_total{service="api-service", code=~"5.."}[1m]))'' -Start (Get-Date).AddMinutes(-10) -Step 30s | Select-Object Timestamp, Value'
            Remarks = 'A range query: one sample every 30 seconds.'
        }
        @{
            Title   = 'A query with a syntax error'
            Code    = 'try { Invoke-PromQuery ''rate(http_requests_total[1m]'' -ErrorAction Stop } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }'
            Remarks = 'PromBadData, with the PromQL parser''s message (where the expression went wrong).'
        }
    )
    Links       = @('Get-ServiceHealth', 'Get-PromAlert', 'Get-AlertRule')
}
