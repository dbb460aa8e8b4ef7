namespace RealEstateOps.Engine.Notification;

/// <summary>
/// What a notice to stakeholders says: what happened (Title), why (Reason), the current status, who acted, how serious
/// it is, which command sent it and links. For PagerDuty also the event action and its dedup key.
/// </summary>
public sealed class OpsNotice
{
    /// <summary>What happened, e.g. "Rolled back api-service to v1.1.0".</summary>
    public required string Title { get; init; }
    /// <summary>Why, e.g. "smoke tests failed after v1.2.0".</summary>
    public string? Reason { get; init; }
    /// <summary>The current status, e.g. "Synced and Healthy; smoke tests pass".</summary>
    public string? Status { get; init; }
    /// <summary>Who acted (default the OS user).</summary>
    public string Actor { get; init; } = Environment.UserName;
    public NotificationSeverity Severity { get; init; } = NotificationSeverity.Info;
    /// <summary>The command that sent it (e.g. Undo-ArgoApplication), PagerDuty's payload.source.</summary>
    public string? Source { get; init; }
    /// <summary>The component concerned (e.g. api-service), PagerDuty's payload.component.</summary>
    public string? Component { get; init; }
    public IReadOnlyList<Uri> Links { get; init; } = Array.Empty<Uri>();
    public string? CorrelationId { get; init; }
    public PagerDutyAction Action { get; init; } = PagerDutyAction.Trigger;
    /// <summary>PagerDuty's dedup_key: required to acknowledge or resolve; for a trigger, PagerDuty makes one when none is given.</summary>
    public string? DedupKey { get; init; }
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;
}
