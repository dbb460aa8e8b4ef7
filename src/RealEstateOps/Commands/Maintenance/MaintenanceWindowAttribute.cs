namespace RealEstateOps.Commands.Maintenance;

/// <summary>
/// Binds a state-changing cmdlet to a kind's maintenance window: <c>[MaintenanceWindow("Kubernetes")]</c> on the class.
/// When the active context enforces windows, the cmdlet refuses outside the window (OutsideMaintenanceWindow) before it
/// sends anything, and it gets -IgnoreMaintenanceWindow and -Reason (<see cref="MaintenanceWindowParameters"/>).
/// The kind is a string (Database, Kubernetes, Application) so that the cmdlet types load without the engine.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class MaintenanceWindowAttribute : Attribute
{
    public MaintenanceWindowAttribute(string kind) => Kind = kind;

    /// <summary>Database, Kubernetes or Application.</summary>
    public string Kind { get; }
}
