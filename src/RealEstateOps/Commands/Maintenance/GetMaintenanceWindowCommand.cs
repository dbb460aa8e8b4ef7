using System.Management.Automation;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Commands.Maintenance;

/// <summary>
/// The maintenance windows of the active context (its own rules, else the runbook's): for each kind the occurrence open
/// now or the next one, or the next -Next occurrences, seen from now or from -At.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MaintenanceWindow")]
[OutputType(typeof(MaintenanceWindow))]
public sealed class GetMaintenanceWindowCommand : OpsCommandBase
{
    /// <summary>Only these kinds (default: all three).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Database", "Kubernetes", "Application")]
    public string[]? Kind { get; set; }

    /// <summary>How many occurrences of each kind: the open one (if any) counts as the first.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Next { get; set; } = 1;

    /// <summary>The moment to compute for instead of now; a time without a zone is UTC, as the windows are.</summary>
    [Parameter]
    public DateTime? At { get; set; }

    protected override void ProcessRecordCore()
    {
        var schedule = new MaintenanceSchedule(ActiveContext);
        var at = MaintenanceTime.Moment(At) ?? schedule.Now;
        WriteVerbose($"Maintenance windows of context '{schedule.ContextName}' at {MaintenanceSchedule.Instant(at)}; enforced: {schedule.Enforcement}.");
        foreach (var kind in MaintenanceTime.Kinds(Kind))
            foreach (var window in schedule.Occurrences(kind, at).Take(Next))
                WriteObject(window);
    }
}
