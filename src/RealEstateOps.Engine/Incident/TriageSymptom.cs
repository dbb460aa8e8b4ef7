namespace RealEstateOps.Engine.Incident;

/// <summary>The Incident Response runbook's common incidents that Invoke-IncidentTriage knows how to investigate.</summary>
public enum TriageSymptom
{
    /// <summary>The application cannot reach or log in to its database.</summary>
    DatabaseConnection,
    /// <summary>The LLM service is slow or failing.</summary>
    LlmDegradation,
    /// <summary>Services answer with 5xx (the Monitoring runbook's High Error Rate response).</summary>
    HighErrorRate,
}
