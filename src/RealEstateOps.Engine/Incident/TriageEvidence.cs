namespace RealEstateOps.Engine.Incident;

/// <summary>One investigation step of the runbook and what it found: attached to the incident as a Finding note.</summary>
public sealed class TriageEvidence
{
    /// <summary>The step's name (InstanceStatus, PgIsReady, AppLogin, DbLogErrors, Connections, Network, LlmErrorLines, ...).</summary>
    public string Step { get; init; } = "";
    /// <summary>Where it was read: RDS, Kubernetes, PostgreSQL, EC2, Langfuse, Prometheus, Argo CD.</summary>
    public string Source { get; init; } = "";
    public TriageStatus Status { get; init; }
    /// <summary>One line, as it goes into the incident's note.</summary>
    public string Summary { get; init; } = "";
    /// <summary>The step's typed result (DbInstance, PodCommandResult, DbActivityReport, DbSecurityFacts, ...), when there is one.</summary>
    public object? Detail { get; init; }
    /// <summary>The error id when the step's source failed (Unknown) or answered with a failure (Problem).</summary>
    public string? ErrorId { get; init; }
    public DateTimeOffset At { get; init; }

    /// <summary>The note's text: "Triage DatabaseConnection / Connections (PostgreSQL): Problem - ...".</summary>
    public string NoteText(TriageSymptom symptom) => $"Triage {symptom} / {Step} ({Source}): {Status} - {Summary}";

    public override string ToString() => $"{Step}: {Status} - {Summary}";
}
