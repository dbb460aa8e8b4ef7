namespace RealEstateOps.Engine.Incident;

/// <summary>What Invoke-IncidentTriage found: each of the runbook's investigation steps as evidence, and the resolution step that matches.</summary>
public sealed class IncidentTriage
{
    public TriageSymptom Symptom { get; init; }
    /// <summary>The incident the evidence was attached to (null when none was given or current).</summary>
    public string? IncidentId { get; init; }
    public string Namespace { get; init; } = "";
    public string? DbInstanceId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset EndedAt { get; init; }
    public IReadOnlyList<TriageEvidence> Evidence { get; init; } = Array.Empty<TriageEvidence>();
    public TriageResolution Resolution { get; init; } = new();
    /// <summary>How many notes were attached to the incident (0 with -WhatIf or without an incident).</summary>
    public int NotesAttached { get; internal set; }

    public int Problems => Evidence.Count(e => e.Status == TriageStatus.Problem);
    /// <summary>The steps that could not tell or did not run, with why.</summary>
    public IReadOnlyList<string> Gaps => Evidence.Where(e => e.Status is TriageStatus.Unknown or TriageStatus.Skipped).Select(e => $"{e.Step}: {e.Summary}").ToList();

    /// <summary>A copy that says how many notes went to the incident.</summary>
    public IncidentTriage WithNotesAttached(string? incidentId, int count) => new()
    {
        Symptom = Symptom, IncidentId = incidentId, Namespace = Namespace, DbInstanceId = DbInstanceId, StartedAt = StartedAt, EndedAt = EndedAt,
        Evidence = Evidence, Resolution = Resolution, NotesAttached = count,
    };
}
