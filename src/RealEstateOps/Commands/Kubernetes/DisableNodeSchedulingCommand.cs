using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl cordon: marks nodes unschedulable (no change when already so).</summary>
[Cmdlet(VerbsLifecycle.Disable, "NodeScheduling", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("cordon")]
[OutputType(typeof(KubeNode))]
public sealed class DisableNodeSchedulingCommand : KubeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var kube = Kube();
        foreach (var name in Name)
        {
            var node = Change(name, "Cordon node (mark unschedulable)", ct => new NodeDrainer(kube).SetSchedulingAsync(name, true, ct), Force);
            if (node is not null) WriteObject(node);
        }
    }
}
