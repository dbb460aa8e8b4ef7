namespace RealEstateOps.Engine.Postgres;

/// <summary>How a maintenance statement ended.</summary>
public enum DbMaintenanceStatus
{
    Succeeded,
    Failed,
}
