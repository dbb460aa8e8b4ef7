using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Engine.Eks;

/// <summary>The Kubernetes maintenance window as the caller's settings define it, at the moment of the check.</summary>
public sealed class EksReadinessWindow
{
    /// <summary>The window as written, e.g. "LastSat 01:00-05:00 UTC".</summary>
    public string Window { get; init; } = "";
    public bool IsOpen { get; init; }
    /// <summary>When the open window closes.</summary>
    public DateTimeOffset? ClosesAt { get; init; }
    /// <summary>When the window opens next (when it is closed now).</summary>
    public DateTimeOffset? NextOpensAt { get; init; }
    /// <summary>Whether the context enforces windows: changes of this kind are refused outside it (OutsideMaintenanceWindow).</summary>
    public bool Enforced { get; init; }

    /// <summary>A kind's window now, as the context's schedule says (its rule, open or not, enforced or not).</summary>
    public static EksReadinessWindow From(MaintenanceSchedule schedule, MaintenanceKind kind)
    {
        var verdict = schedule.Check(kind);
        return new EksReadinessWindow
        {
            Window = verdict.Window.Spec, IsOpen = verdict.IsOpen, Enforced = verdict.Enforced,
            ClosesAt = verdict.IsOpen ? verdict.Window.End : null, NextOpensAt = verdict.IsOpen ? null : verdict.Window.Start,
        };
    }
}
