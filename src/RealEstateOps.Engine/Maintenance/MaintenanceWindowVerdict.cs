namespace RealEstateOps.Engine.Maintenance;

/// <summary>Whether a change of one kind may be made at a moment: the window, whether it is open, whether the context enforces it.</summary>
public sealed class MaintenanceWindowVerdict
{
    public MaintenanceKind Kind { get; init; }
    public DateTimeOffset At { get; init; }

    /// <summary>The occurrence open at <see cref="At"/>, else the next one.</summary>
    public MaintenanceWindow Window { get; init; } = null!;

    public bool IsOpen => Window.IsOpen;
    public bool Enforced => Window.Enforced;

    /// <summary>True when a change of this kind would be accepted: inside the window, or the context does not enforce windows.</summary>
    public bool Allowed => IsOpen || !Enforced;

    public string Context => Window.Context;

    /// <summary>One sentence for the operator: which window, open or closed, when it next opens or closes.</summary>
    public string Summary { get; init; } = "";

    public override string ToString() => Summary;
}
