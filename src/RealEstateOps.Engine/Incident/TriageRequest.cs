namespace RealEstateOps.Engine.Incident;

/// <summary>What to triage and where: the symptom, the application's namespace and deployments, the DB instance, the window.</summary>
public sealed record TriageRequest
{
    public required TriageSymptom Symptom { get; init; }
    public required string Namespace { get; init; }
    /// <summary>The RDS instance (DatabaseConnection).</summary>
    public string? DbInstanceId { get; init; }
    /// <summary>The deployment whose pod runs pg_isready (the runbook's api-service).</summary>
    public string AppDeployment { get; init; } = "api-service";
    /// <summary>The app's database secret (the one Set-DbConnectionSecret writes).</summary>
    public string DbSecretName { get; init; } = "db-credentials";
    /// <summary>The LLM service's deployment (LlmDegradation).</summary>
    public string LlmDeployment { get; init; } = "llm-service";
    /// <summary>How far back logs, metrics and changes are read.</summary>
    public TimeSpan Since { get; init; } = TimeSpan.FromHours(1);
    /// <summary>LLM generations failing above this share are a problem.</summary>
    public double LlmErrorRateThresholdPercent { get; init; } = 5;
    /// <summary>LLM p95 latency above this is a problem.</summary>
    public double LlmLatencyP95ThresholdMs { get; init; } = 10_000;
    /// <summary>Connections in use above this share of what ordinary roles may use are a problem.</summary>
    public double ConnectionsThresholdPercent { get; init; } = 90;
    /// <summary>The HighErrorRate threshold in percent (the alert rule's 5 by default).</summary>
    public double ErrorRateThresholdPercent { get; init; } = 5;
}
