using System.Management.Automation;

namespace RealEstateOps.Commands.Maintenance;

/// <summary>
/// The parameters a window-bound cmdlet gets (dynamic parameters of <see cref="OpsCommandBase"/>, so that each such
/// cmdlet declares only its kind): go ahead outside the window, and say why. The reason is journaled with the change.
/// </summary>
public sealed class MaintenanceWindowParameters
{
    /// <summary>Make the change even though the context enforces maintenance windows and this kind's window is closed; needs -Reason.</summary>
    [Parameter]
    public SwitchParameter IgnoreMaintenanceWindow { get; set; }

    /// <summary>Why the change cannot wait for the window (an incident or change id): journaled with the change.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }
}
