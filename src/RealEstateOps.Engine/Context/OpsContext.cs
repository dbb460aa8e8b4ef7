using System.Text.Json.Serialization;

namespace RealEstateOps.Engine.Context;

/// <summary>
/// A named set of defaults for commands: AWS region and profile, service endpoints, cluster,
/// node group, namespace, database and buckets. A stored context keeps only what was set in it;
/// anything it leaves unset comes from the built-in default (<see cref="BuiltInDefault"/>).
/// </summary>
public sealed class OpsContext
{
    public const string DefaultName = "default";

    public string Name { get; set; } = DefaultName;
    public string? Description { get; set; }

    // AWS
    public string? Region { get; set; }
    public string? ProfileName { get; set; }
    /// <summary>A shared credentials file to read ProfileName from instead of ~/.aws/credentials (the sandbox writes one).</summary>
    public string? AwsCredentialsFile { get; set; }
    /// <summary>Endpoint overrides by service (s3, rds, eks, sts, ...).</summary>
    public Dictionary<string, string> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    // Kubernetes / EKS
    public string? ClusterName { get; set; }
    public string? NodeGroup { get; set; }
    public string? Namespace { get; set; }
    public string? KubeconfigPath { get; set; }
    public string? KubeContext { get; set; }

    // Database
    public string? DbInstanceId { get; set; }
    public string? DbHost { get; set; }
    public int? DbPort { get; set; }
    public string? DbName { get; set; }
    public string? DbUser { get; set; }
    /// <summary>A PostgreSQL password file (pgpass format); the context never holds a password itself.</summary>
    public string? DbPassFile { get; set; }
    /// <summary>
    /// The CA bundle that proves a remote database server's certificate (for RDS, Amazon's global-bundle.pem):
    /// connections to a host that is not this machine use sslmode verify-full against it.
    /// </summary>
    public string? DbSslRootCert { get; set; }

    // Incidents: the incident store (PostgreSQL, its own server or database; the password only in a pgpass-style file)
    public string? IncidentDbHost { get; set; }
    public int? IncidentDbPort { get; set; }
    public string? IncidentDbName { get; set; }
    public string? IncidentDbUser { get; set; }
    /// <summary>A pgpass-format file (0600) with the incident store login's password; the context never holds it.</summary>
    public string? IncidentDbPassFile { get; set; }

    // Storage
    public string? AssetsBucket { get; set; }
    public string? BackupsBucket { get; set; }
    public string? DrBucket { get; set; }
    public string? DrRegion { get; set; }

    // Maintenance windows (see Maintenance/MaintenanceWindowSpec for the rule's form)
    /// <summary>When database changes may be made, e.g. <c>Sun 01:00-03:00</c>.</summary>
    public string? DatabaseWindow { get; set; }
    /// <summary>When Kubernetes changes (node drains, node group and cluster upgrades) may be made, e.g. <c>LastSat 01:00-05:00</c>.</summary>
    public string? KubernetesWindow { get; set; }
    /// <summary>When application changes (rollouts) may be made, e.g. <c>Tue,Thu 22:00-23:00</c>.</summary>
    public string? ApplicationWindow { get; set; }
    /// <summary>Whether state-changing commands of a kind refuse to run outside its window (OutsideMaintenanceWindow); off unless set.</summary>
    public bool? EnforceMaintenanceWindow { get; set; }

    // Backup policy (Test-DbBackupPolicy); the built-in values are the Backup and Recovery runbook's.
    /// <summary>The automated backup window the instance's must lie in, hh:mm-hh:mm UTC; default 02:00-03:00.</summary>
    public string? BackupWindow { get; set; }
    /// <summary>The fewest days automated backups must be kept (1-35); default 14.</summary>
    public int? BackupRetentionDays { get; set; }
    /// <summary>Whether the instance must copy its tags to snapshots, have deletion protection, and encrypted storage; default true each.</summary>
    public bool? BackupRequireCopyTags { get; set; }
    public bool? BackupRequireDeletionProtection { get; set; }
    public bool? BackupRequireEncryption { get; set; }
    /// <summary>The oldest the newest automated snapshot may be, in hours (1-8760); default 26.</summary>
    public int? BackupMaxSnapshotAgeHours { get; set; }
    /// <summary>The oldest the newest manual snapshot may be, in days (1-3650); unset: reported, not judged.</summary>
    public int? BackupMaxManualSnapshotAgeDays { get; set; }
    /// <summary>The oldest the newest export in the backups bucket may be, in days (1-3650); unset: reported, not judged.</summary>
    public int? BackupMaxExportAgeDays { get; set; }

    // Monitoring thresholds (Get-ServiceHealth's verdicts)
    /// <summary>A service whose share of 5xx answers is above this (percent, 0.01-100) is Unhealthy; default 5.</summary>
    public double? ErrorRateThresholdPercent { get; set; }
    /// <summary>A service whose p95 latency is above this (milliseconds, 1-600000) is Degraded; default 1000.</summary>
    public int? LatencyP95ThresholdMs { get; set; }
    // Langfuse (LLM observability): basic auth with the project's public key and its secret key, read from this file
    // (0600) or LANGFUSE_SECRET_KEY, never stored in the context itself.
    public string? LangfusePublicKey { get; set; }
    public string? LangfuseSecretKeyFile { get; set; }

    // Argo CD: the server is ServiceUrls["argocd"]; its API token is read from this file (0600), never stored in the
    // context itself. ARGOCD_SERVER/ARGOCD_AUTH_TOKEN and the argocd CLI's config file come first (ArgoResolver).
    public string? ArgoCdTokenFile { get; set; }
    // Notices to stakeholders (Send-OpsNotification): the channels by name, each naming the file or environment variable
    // that holds its webhook URL or routing key (never the secret itself). Stored channels replace built-in ones of the same name.
    public List<Notification.NotificationChannel>? NotificationChannels { get; set; }

    /// <summary>Service URLs by name (argocd, prometheus, grafana, langfuse, ...).</summary>
    public Dictionary<string, string> ServiceUrls { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [JsonIgnore]
    public bool IsBuiltIn { get; init; }

    /// <summary>Set by Get-OpsContext: whether this is the session's active context, and why.</summary>
    [JsonIgnore]
    public bool IsActive { get; set; }

    [JsonIgnore]
    public string? ActiveSource { get; set; }

    /// <summary>The file this context is stored in; null for the built-in default.</summary>
    [JsonIgnore]
    public string? FilePath { get; set; }

    /// <summary>Each effective setting and where it comes from (this context or the built-in default).</summary>
    [JsonIgnore]
    public IReadOnlyList<ContextSettingSource> Sources { get; set; } = Array.Empty<ContextSettingSource>();

    /// <summary>The platform's names from the runbooks.</summary>
    public static OpsContext BuiltInDefault() => new()
    {
        Name = DefaultName,
        Description = "Built-in default: the platform's names from the operational runbooks",
        IsBuiltIn = true,
        Region = "us-east-1",
        ClusterName = "real-estate-ai-cluster",
        NodeGroup = "standard-nodes",
        Namespace = "real-estate-ai",
        DbInstanceId = "real-estate-ai-db",
        DbPort = 5432,
        DbName = "real_estate_ai",
        AssetsBucket = "real-estate-ai-assets",
        BackupsBucket = "real-estate-ai-backups",
        DrBucket = "real-estate-ai-assets-dr",
        DrRegion = "us-west-2",
        // The Maintenance runbook's scheduled windows.
        DatabaseWindow = "Sun 01:00-03:00",
        KubernetesWindow = "LastSat 01:00-05:00",
        ApplicationWindow = "Tue,Thu 22:00-23:00",
        // The Backup and Recovery runbook's automated backups: daily 02:00-03:00 UTC, kept 14 days.
        BackupWindow = "02:00-03:00",
        BackupRetentionDays = 14,
        BackupRequireCopyTags = true,
        BackupRequireDeletionProtection = true,
        BackupRequireEncryption = true,
        BackupMaxSnapshotAgeHours = 26,
        // The Monitoring runbook's thresholds: the HighErrorRate rule's 5% and the HighLatencyP95 rule's 1 s.
        ErrorRateThresholdPercent = 5,
        LatencyP95ThresholdMs = 1000,
        ServiceUrls = new(StringComparer.OrdinalIgnoreCase)
        {
            ["argocd"] = "https://argocd.realestate-ai.example.com",
            ["grafana"] = "https://grafana.realestate-ai.example.com",
            ["langfuse"] = "https://langfuse.realestate-ai.example.com",
        },
    };

    public OpsContext Clone()
    {
        var copy = (OpsContext)MemberwiseClone();
        copy.Endpoints = new Dictionary<string, string>(Endpoints, StringComparer.OrdinalIgnoreCase);
        copy.ServiceUrls = new Dictionary<string, string>(ServiceUrls, StringComparer.OrdinalIgnoreCase);
        copy.NotificationChannels = NotificationChannels?.Select(c => c.Clone()).ToList();
        return copy;
    }
}
