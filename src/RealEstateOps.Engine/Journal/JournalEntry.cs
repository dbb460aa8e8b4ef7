namespace RealEstateOps.Engine.Journal;

public enum JournalOutcome
{
    Succeeded,
    Failed,
    WhatIf,
    Declined,
}

/// <summary>One state change: who, when, where, what, with which parameters, and how it ended.</summary>
public sealed class JournalEntry
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public DateTimeOffset Timestamp { get; set; }
    public string User { get; set; } = "";
    public string Host { get; set; } = "";
    public string? Context { get; set; }
    public string Command { get; set; } = "";
    public string? Action { get; set; }
    public string? Target { get; set; }
    /// <summary>Parameters as given, with secrets removed.</summary>
    public Dictionary<string, string?> Parameters { get; set; } = new();
    public JournalOutcome Outcome { get; set; }
    public string? ErrorId { get; set; }
    public string? Message { get; set; }
    public double DurationMs { get; set; }
    /// <summary>Shared by the entries of one pipeline (or of one script run when set through REALESTATEOPS_CORRELATION_ID).</summary>
    public string? CorrelationId { get; set; }
    /// <summary>The incident open while the change was made (Use-Incident, New-Incident or REALESTATEOPS_INCIDENT_ID), else null.</summary>
    public string? IncidentId { get; set; }

    public TimeSpan Duration => TimeSpan.FromMilliseconds(DurationMs);
}
