using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Canary;

namespace RealEstateOps.Commands.Canary;

/// <summary>Rolls a canary back: all traffic to stable, the canary Deployment and Service removed; the stable Deployment is not touched.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Canary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CanaryStatus))]
public sealed class StopCanaryCommand : CanaryCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CanaryNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Deployment { get; set; } = "";

    /// <summary>Why it is rolled back (kept on the TrafficSplit, shown by Get-Canary).</summary>
    [Parameter] public string? Reason { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = NamespaceOf(client);
        var status = Change(TargetOf(Deployment, ns), "Roll back canary (all traffic to stable, canary removed)",
            ct => new CanaryObjects(client).StopAsync(ns, Deployment, Reason ?? "stopped by Stop-Canary", Listener, ct), Force);
        if (status is not null) WriteObject(status);
    }
}
