using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Canary;

namespace RealEstateOps.Commands.Canary;

/// <summary>Promotes a canary: the stable Deployment takes the canary's image (waiting for its rollout), all traffic goes to stable, the canary Deployment and Service are removed.</summary>
[Cmdlet(VerbsLifecycle.Complete, "Canary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CanaryStatus))]
public sealed class CompleteCanaryCommand : CanaryCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CanaryNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Deployment { get; set; } = "";

    /// <summary>How long the stable Deployment's rollout may take.</summary>
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = NamespaceOf(client);
        var status = Change(TargetOf(Deployment, ns), "Promote canary (stable takes the canary's image, all traffic on stable, canary removed)",
            ct => new CanaryObjects(client).CompleteAsync(ns, Deployment, Timeout, WaitProgress(), Listener, ct), Force);
        if (status is not null) WriteObject(status);
    }
}
