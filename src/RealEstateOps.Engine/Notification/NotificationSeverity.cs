namespace RealEstateOps.Engine.Notification;

/// <summary>How serious a notice is; a channel receives notices at or above its MinimumSeverity.</summary>
public enum NotificationSeverity
{
    Info,
    Warning,
    Critical,
}
