using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>
/// What a started sandbox publishes in its info file (its /_sandbox/info answer): where it listens, its process, its
/// services and platform database, and the files that hold what it hands to clients (the control token, the AWS
/// credentials with their profile, the kubeconfig). The launcher reads it instead of knowing any of it.
/// </summary>
public sealed class SandboxInfo
{
    /// <summary>The folder (in the sandbox's state folder) of the incident store's own PostgreSQL server and its record.</summary>
    public const string IncidentStoreFolder = "incident-store";

    public required string Url { get; init; }
    public int Port { get; init; }
    public int ProcessId { get; init; }
    public string[] Services { get; init; } = Array.Empty<string>();
    public required string DbHost { get; init; }
    public int DbPort { get; init; }
    public required string DbName { get; init; }
    public required string DbUser { get; init; }
    public required string DbPassFile { get; init; }
    public bool PgVector { get; init; }
    public required string ControlTokenFile { get; init; }
    public required string AwsCredentialsFile { get; init; }
    public required string AwsProfile { get; init; }
    public required string Region { get; init; }
    public required string Kubeconfig { get; init; }
    /// <summary>The sandbox's Prometheus and Alertmanager (its info file's monitoring object); null when monitoring is off.</summary>
    public string? PrometheusUrl { get; init; }
    public string? AlertmanagerUrl { get; init; }
    /// <summary>Where monitoring runs, or why it is off.</summary>
    public string? MonitoringMessage { get; init; }
    /// <summary>The platform services whose synthetic traffic the metrics follow (fault targets).</summary>
    public string[] PlatformServices { get; init; } = Array.Empty<string>();
    /// <summary>Langfuse's public API (the sandbox itself), its public key and the 0600 file with its secret key; null when not published.</summary>
    public string? LangfuseUrl { get; init; }
    public string? LangfusePublicKey { get; init; }
    public string? LangfuseSecretKeyFile { get; init; }
    /// <summary>Argo CD's REST API (the sandbox itself) and the 0600 file with its token; null when not published.</summary>
    public string? ArgoCdUrl { get; init; }
    public string? ArgoCdTokenFile { get; init; }
    /// <summary>The sandbox's stakeholder sink: 0600 files with its Slack and Teams webhook URLs and PagerDuty routing key, and its Events API URL.</summary>
    public string? SlackWebhookUrlFile { get; init; }
    public string? TeamsWebhookUrlFile { get; init; }
    public string? PagerDutyRoutingKeyFile { get; init; }
    public string? PagerDutyEndpoint { get; init; }
    /// <summary>The incident store (its info file's incidents object): host, port, database, role and the 0600 pgpass file with its password.</summary>
    public string? IncidentDbHost { get; init; }
    public int? IncidentDbPort { get; init; }
    public string? IncidentDbName { get; init; }
    public string? IncidentDbUser { get; init; }
    public string? IncidentDbPassFile { get; init; }

    /// <summary>The description in <paramref name="path"/>; null while there is none, or it is incomplete (still being written).</summary>
    public static SandboxInfo? Read(string path)
    {
        JsonNode? info;
        try { info = JsonNode.Parse(File.ReadAllText(path)); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException) { return null; }
        if (info?["database"] is not JsonObject db || info["clients"] is not JsonObject clients) return null;
        try
        {
            return new SandboxInfo
            {
                Url = (string)info["url"]!, Port = (int)info["port"]!, ProcessId = (int)info["processId"]!,
                Services = info["services"]?.AsArray().Select(s => (string)s!).ToArray() ?? Array.Empty<string>(),
                DbHost = (string)db["host"]!, DbPort = (int)db["port"]!, DbName = (string)db["name"]!, DbUser = (string)db["user"]!,
                DbPassFile = (string)db["passFile"]!, PgVector = (bool)db["pgVector"]!,
                ControlTokenFile = (string)clients["controlTokenFile"]!, AwsCredentialsFile = (string)clients["awsCredentialsFile"]!,
                AwsProfile = (string)clients["awsProfile"]!, Region = (string)clients["region"]!, Kubeconfig = (string)clients["kubeconfig"]!,
                PrometheusUrl = (string?)info["monitoring"]?["prometheusUrl"], AlertmanagerUrl = (string?)info["monitoring"]?["alertmanagerUrl"],
                MonitoringMessage = (string?)info["monitoringMessage"],
                PlatformServices = info["platformServices"]?.AsArray().Select(s => (string)s!).ToArray() ?? Array.Empty<string>(),
                LangfuseUrl = (string?)info["langfuse"]?["url"], LangfusePublicKey = (string?)info["langfuse"]?["publicKey"],
                LangfuseSecretKeyFile = (string?)info["langfuse"]?["secretKeyFile"],
                ArgoCdUrl = (string?)info["argocd"]?["url"], ArgoCdTokenFile = (string?)info["argocd"]?["tokenFile"],
                SlackWebhookUrlFile = (string?)info["notifications"]?["slackWebhookUrlFile"], TeamsWebhookUrlFile = (string?)info["notifications"]?["teamsWebhookUrlFile"],
                PagerDutyRoutingKeyFile = (string?)info["notifications"]?["pagerDutyRoutingKeyFile"], PagerDutyEndpoint = (string?)info["notifications"]?["pagerDutyEndpoint"],
                IncidentDbHost = (string?)info["incidents"]?["host"], IncidentDbPort = (int?)info["incidents"]?["port"], IncidentDbName = (string?)info["incidents"]?["name"],
                IncidentDbUser = (string?)info["incidents"]?["user"], IncidentDbPassFile = (string?)info["incidents"]?["passFile"],
            };
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException) { return null; }
    }
}
