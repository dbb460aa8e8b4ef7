namespace RealEstateOps.Engine.Alertmanager;

/// <summary>A silence's state as Alertmanager reports it: in force, not yet started, or over (expired by hand or ended).</summary>
public enum AlertSilenceState
{
    Unknown,
    Active,
    Pending,
    Expired,
}
