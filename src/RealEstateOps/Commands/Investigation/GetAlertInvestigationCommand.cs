using System.Management.Automation;
using RealEstateOps.Engine.Investigation;

namespace RealEstateOps.Commands.Investigation;

/// <summary>
/// The Monitoring runbook's High Error Rate response, assessed in one command: which services spiked and since when, the
/// rollouts, Argo CD syncs and journal entries in the window, the affected pods' top error lines, pod and node pressure,
/// and the runbook's suggested action.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AlertInvestigation")]
[OutputType(typeof(AlertInvestigation))]
public sealed class GetAlertInvestigationCommand : AlertInvestigationCommandBase
{
    /// <summary>How many error patterns per service.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int Top { get; set; } = 5;

    protected override void ProcessRecordCore()
    {
        var investigator = Investigator(needsKube: false);
        var request = AlertRequest() with { TopErrors = Top, JournalFile = Paths.JournalFile };
        WriteObject(Run(ct => investigator.InvestigateAsync(request, Listener, ct)));
    }
}
