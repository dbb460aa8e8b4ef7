namespace RealEstateOps.Engine.Maintenance;

/// <summary>The kinds of change the Maintenance runbook schedules, each with its own window.</summary>
public enum MaintenanceKind
{
    Database,
    Kubernetes,
    Application,
}
