namespace RealEstateOps.Engine.Notification;

/// <summary>The event_action of a PagerDuty Events API v2 event.</summary>
public enum PagerDutyAction
{
    Trigger,
    Acknowledge,
    Resolve,
}
