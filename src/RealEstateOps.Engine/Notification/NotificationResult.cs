namespace RealEstateOps.Engine.Notification;

/// <summary>What became of a notice on one channel.</summary>
public sealed class NotificationResult
{
    public required string Channel { get; init; }
    public NotificationKind Kind { get; init; }
    public bool Delivered { get; init; }
    /// <summary>The service's HTTP status, when it answered.</summary>
    public int? StatusCode { get; init; }
    /// <summary>PagerDuty: the dedup key of the event (the one given, or the one PagerDuty made).</summary>
    public string? DedupKey { get; init; }
    /// <summary>Why it was not delivered (NotificationRejected, NotificationUnreachable, ...); null when it was.</summary>
    public string? ErrorId { get; init; }
    /// <summary>The service's answer (Slack's "ok" or its error text, PagerDuty's message), or the failure.</summary>
    public string? Message { get; init; }
}
