using System.Management.Automation;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Commands.Maintenance;

/// <summary>
/// Whether a kind's maintenance window is open now (or at -At): $true or $false, or with -Detailed a verdict that also
/// says whether the context enforces windows, whether a change would be allowed, and when the window next opens or closes.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MaintenanceWindow")]
[OutputType(typeof(bool), typeof(MaintenanceWindowVerdict))]
public sealed class TestMaintenanceWindowCommand : OpsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Database", "Kubernetes", "Application")]
    public string Kind { get; set; } = "";

    /// <summary>The moment to test instead of now; a time without a zone is UTC, as the windows are.</summary>
    [Parameter]
    public DateTime? At { get; set; }

    /// <summary>A verdict object instead of $true/$false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecordCore()
    {
        var schedule = new MaintenanceSchedule(ActiveContext);
        var verdict = schedule.Check(Enum.Parse<MaintenanceKind>(Kind, ignoreCase: true), MaintenanceTime.Moment(At));
        WriteVerbose(verdict.Summary);
        if (Detailed) WriteObject(verdict);
        else WriteObject(verdict.IsOpen);
    }
}
