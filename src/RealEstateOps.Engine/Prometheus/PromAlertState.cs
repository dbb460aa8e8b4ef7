namespace RealEstateOps.Engine.Prometheus;

/// <summary>An alert's or alerting rule's state as Prometheus reports it.</summary>
public enum PromAlertState
{
    Inactive,
    Pending,
    Firing,
}
