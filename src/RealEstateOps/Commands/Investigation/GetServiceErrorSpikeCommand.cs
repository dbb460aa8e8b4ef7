using System.Management.Automation;
using RealEstateOps.Engine.Investigation;

namespace RealEstateOps.Commands.Investigation;

/// <summary>The investigation's first piece: which services went above the alert's threshold in the window, and since when.</summary>
[Cmdlet(VerbsCommon.Get, "ServiceErrorSpike")]
[OutputType(typeof(ServiceSpike))]
public sealed class GetServiceErrorSpikeCommand : AlertInvestigationCommandBase
{
    protected override void ProcessRecordCore()
    {
        var investigator = Investigator(needsKube: false);
        var request = AlertRequest();
        foreach (var spike in Run(ct => investigator.SpikesAsync(request, Listener, ct))) WriteObject(spike);
    }
}
