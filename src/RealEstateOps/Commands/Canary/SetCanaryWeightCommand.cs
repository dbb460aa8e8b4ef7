using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Canary;

namespace RealEstateOps.Commands.Canary;

/// <summary>Sets the share of the traffic the canary gets (0..100, stable gets the rest) in its TrafficSplit.</summary>
[Cmdlet(VerbsCommon.Set, "CanaryWeight", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CanaryStatus))]
public sealed class SetCanaryWeightCommand : CanaryCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CanaryNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Deployment { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateRange(0, 100)]
    public int Weight { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = NamespaceOf(client);
        var status = Change(TargetOf(Deployment, ns), $"Set canary weight to {Weight}% (stable {100 - Weight}%)",
            ct => new CanaryObjects(client).SetWeightAsync(ns, Deployment, Weight, ct), Force);
        if (status is not null) WriteObject(status);
    }
}
