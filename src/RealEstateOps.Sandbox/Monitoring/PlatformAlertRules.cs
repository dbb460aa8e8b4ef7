using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>
/// The platform's own alert rules: the PrometheusRule <c>platform-alerts</c> in namespace <c>monitoring</c> (group
/// <c>platform</c>), seeded in the Kubernetes sandbox and written to Prometheus' rule folder like any other.
/// </summary>
public static class PlatformAlertRules
{
    public const string Namespace = "monitoring";
    public const string Name = "platform-alerts";
    public const string RunbookBase = "https://github.com/real-estate-ai/platform/blob/main/docs/operational-runbooks.md";

    /// <summary>The rule group of platform-alerts, as a PrometheusRule's spec.groups holds it.</summary>
    public static JsonArray Groups() => new(new JsonObject
    {
        ["name"] = "platform",
        ["rules"] = new JsonArray(
            Rule("HighErrorRate",
                "sum by (namespace, service) (rate(http_requests_total{code=~\"5..\"}[1m])) / sum by (namespace, service) (rate(http_requests_total[1m])) > 0.05",
                "10s", "critical", "High error rate on {{ $labels.service }}",
                "{{ $labels.service }} answers {{ $value | humanizePercentage }} of its requests with 5xx (threshold 5%).", "high-error-rate"),
            Rule("HighLatencyP95",
                "histogram_quantile(0.95, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket[1m]))) > 1",
                "30s", "warning", "High p95 latency on {{ $labels.service }}",
                "The 95th percentile latency of {{ $labels.service }} is {{ $value | humanizeDuration }} (threshold 1s).", "high-latency"),
            Rule("PodRestartingOften",
                "increase(kube_pod_container_status_restarts_total[5m]) > 2",
                null, "warning", "Pod {{ $labels.pod }} is restarting often",
                "Container {{ $labels.container }} of {{ $labels.pod }} ({{ $labels.service }}) restarted {{ $value | printf \"%.0f\" }} times in 5 minutes.", "pod-restarts"),
            Rule("DatabaseConnectionsHigh",
                "sum(pg_stat_activity_count) / max(pg_settings_max_connections) > 0.8",
                "30s", "warning", "Database connections above 80% of max_connections",
                "{{ $value | humanizePercentage }} of the database's max_connections are in use.", "database-connections")),
    });

    private static JsonObject Rule(string alert, string expr, string? @for, string severity, string summary, string description, string anchor)
    {
        var rule = new JsonObject { ["alert"] = alert, ["expr"] = expr };
        if (@for is not null) rule["for"] = @for;
        rule["labels"] = new JsonObject { ["severity"] = severity };
        rule["annotations"] = new JsonObject { ["summary"] = summary, ["description"] = description, ["runbook_url"] = RunbookBase + "#" + anchor };
        return rule;
    }

    /// <summary>The seeded PrometheusRule object (monitoring.coreos.com/v1).</summary>
    public static JsonObject Object() => new()
    {
        ["apiVersion"] = "monitoring.coreos.com/v1",
        ["kind"] = "PrometheusRule",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name, ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["app.kubernetes.io/part-of"] = "real-estate-ai", ["prometheus"] = "platform", ["role"] = "alert-rules" },
        },
        ["spec"] = new JsonObject { ["groups"] = Groups() },
    };

    /// <summary>The rule file Prometheus reads for a PrometheusRule: <c>&lt;namespace&gt;-&lt;name&gt;.yaml</c>.</summary>
    public static string FileName(string ns, string name) => $"{ns}-{name}.yaml";
}
