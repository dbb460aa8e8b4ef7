using System.Management.Automation;
using RealEstateOps.Engine.Investigation;

namespace RealEstateOps.Commands.Investigation;

/// <summary>The investigation's first piece: which services went above the alert's threshold in the window, and since when.</summary>
[Cmdlet(VerbsCommon.Get, "ServiceErrorSpike")]
[OutputType(typeof(ServiceSpike))]
public sealed class GetServiceErrorSpikeCommand : InvestigationCommandBase
{
    [Parameter(Position = 0)]
    [ValidateSet("HighErrorRate", "HighLatencyP95")]
    public string Alert { get; set; } = "HighErrorRate";

    [Parameter]
    [ValidateRange(0.0001, 1e9)]
    public double? Threshold { get; set; }

    protected override void ProcessRecordCore()
    {
        var investigator = Investigator(needsKube: false);
        var request = new InvestigationRequest { Alert = Alert, Namespace = NamespaceOf(), Start = DateTimeOffset.UtcNow - Since, Threshold = ThresholdOf(Alert, Threshold), Services = Service };
        foreach (var spike in Run(ct => investigator.SpikesAsync(request, Listener, ct))) WriteObject(spike);
    }
}
