namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>The configuration files of the sandbox's Prometheus and Alertmanager (YAML; every path is the sandbox's own).</summary>
public static class MonitoringConfig
{
    /// <summary>
    /// Prometheus: scrape and evaluate every 2 s; job <c>platform</c> scrapes the sandbox's metrics over its loopback HTTP listener
    /// with the control token from <paramref name="tokenFile"/>; alerts go to <paramref name="alertmanager"/> (host:port);
    /// rules are the <c>*.yaml</c> files of <paramref name="rulesFolder"/>.
    /// </summary>
    public static string Prometheus(string sandboxTarget, string tokenFile, string alertmanager, string rulesFolder) => $"""
        # Written by the RealEstateOps sandbox for this start.
        global:
          scrape_interval: 2s
          scrape_timeout: 2s
          evaluation_interval: 2s
        alerting:
          alertmanagers:
            - static_configs:
                - targets: [{Quote(alertmanager)}]
        rule_files:
          - {Quote(Path.Combine(rulesFolder, "*.yaml"))}
        scrape_configs:
          - job_name: platform
            metrics_path: {MonitoringStack.MetricsPath}
            authorization:
              type: Bearer
              credentials_file: {Quote(tokenFile)}
            static_configs:
              - targets: [{Quote(sandboxTarget)}]

        """;

    /// <summary>
    /// Alertmanager: one route (group_wait 1s, group_interval 2s) to one receiver, a webhook to the sandbox's notification
    /// recorder at <paramref name="webhookUrl"/> with the control token from <paramref name="tokenFile"/>, resolved alerts too.
    /// </summary>
    public static string Alertmanager(string webhookUrl, string tokenFile) => $"""
        # Written by the RealEstateOps sandbox for this start.
        route:
          receiver: sandbox
          group_by: [alertname, namespace, service]
          group_wait: 1s
          group_interval: 2s
          repeat_interval: 1h
        receivers:
          - name: sandbox
            webhook_configs:
              - url: {Quote(webhookUrl)}
                send_resolved: true
                http_config:
                  authorization:
                    type: Bearer
                    credentials_file: {Quote(tokenFile)}

        """;

    /// <summary>A YAML double-quoted scalar.</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
