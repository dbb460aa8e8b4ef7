using System.Text.Json.Serialization;

namespace RealEstateOps.Engine.Notification;

/// <summary>
/// A stakeholder channel named in a context: where notices go and where its secret comes from. The secret (a Slack or
/// Teams webhook URL, a PagerDuty routing key) is never stored here: only the file (one line, 0600) or the environment
/// variable that holds it.
/// </summary>
public sealed class NotificationChannel
{
    /// <summary>PagerDuty's Events API v2 endpoint.</summary>
    public const string PagerDutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";

    public string Name { get; set; } = "";
    [JsonConverter(typeof(JsonStringEnumConverter<NotificationKind>))]
    public NotificationKind Kind { get; set; }
    /// <summary>A file whose first line is the webhook URL (Slack, Teams) or the routing key (PagerDuty).</summary>
    public string? SecretFile { get; set; }
    /// <summary>An environment variable holding the webhook URL or routing key (used when no SecretFile is set).</summary>
    public string? SecretEnvironmentVariable { get; set; }
    /// <summary>PagerDuty only: the Events API URL (default <see cref="PagerDutyEventsUrl"/>; the sandbox's own for tests).</summary>
    public string? Endpoint { get; set; }
    /// <summary>Notices below this severity are not sent to this channel (default Info: all).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<NotificationSeverity>))]
    public NotificationSeverity MinimumSeverity { get; set; } = NotificationSeverity.Info;

    /// <summary>Where the secret comes from, for display (never the secret itself).</summary>
    [JsonIgnore]
    public string SecretSource => SecretFile is { Length: > 0 } f ? "file " + f : SecretEnvironmentVariable is { Length: > 0 } e ? "$env:" + e : "(none)";

    public NotificationChannel Clone() => (NotificationChannel)MemberwiseClone();

    public override string ToString() => $"{Name} ({Kind})";
}
