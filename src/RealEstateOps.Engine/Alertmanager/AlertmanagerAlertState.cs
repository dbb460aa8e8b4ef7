namespace RealEstateOps.Engine.Alertmanager;

/// <summary>An alert's state in Alertmanager: notified (Active), muted by a silence or an inhibition (Suppressed), or not yet processed.</summary>
public enum AlertmanagerAlertState
{
    Unknown,
    Active,
    Suppressed,
    Unprocessed,
}
