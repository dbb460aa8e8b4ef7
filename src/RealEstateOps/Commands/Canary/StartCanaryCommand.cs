using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Canary;

namespace RealEstateOps.Commands.Canary;

/// <summary>
/// Starts a canary of a Deployment: the canary Deployment (the stable template with -Image, pods labelled version=canary,
/// one replica), its Service, a stable backend Service and the SMI TrafficSplit (stable 100, canary 0, in the newest
/// version the cluster serves); waits for the canary's rollout. Refuses while a canary of the Deployment runs.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Canary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CanaryStatus))]
public sealed class StartCanaryCommand : CanaryCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Deployment { get; set; } = "";

    /// <summary>The canary's image (for the first container, or -Container).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    [Parameter] public string? Container { get; set; }

    /// <summary>How long the canary's rollout may take.</summary>
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = NamespaceOf(client);
        var request = new CanaryStartRequest(ns, Deployment, Image) { Container = Container, Timeout = Timeout };
        var status = Change(TargetOf(Deployment, ns), $"Start canary with image {Image} (TrafficSplit stable 100 / canary 0)",
            ct => new CanaryObjects(client).StartAsync(request, WaitProgress(), Listener, ct), Force);
        if (status is not null) WriteObject(status);
    }
}
