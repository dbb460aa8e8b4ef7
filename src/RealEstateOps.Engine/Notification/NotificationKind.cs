namespace RealEstateOps.Engine.Notification;

/// <summary>The service a notification channel posts to.</summary>
public enum NotificationKind
{
    /// <summary>A Slack(-compatible) incoming webhook: the secret is the webhook URL.</summary>
    Slack,
    /// <summary>A Microsoft Teams webhook (a Workflows "post to a channel when a webhook request is received" URL, or a connector's): the secret is the URL.</summary>
    Teams,
    /// <summary>PagerDuty Events API v2: the secret is the integration's routing key.</summary>
    PagerDuty,
}
