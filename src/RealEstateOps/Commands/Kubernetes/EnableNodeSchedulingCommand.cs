using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl uncordon: marks nodes schedulable again (no change when already so).</summary>
[Cmdlet(VerbsLifecycle.Enable, "NodeScheduling", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("uncordon")]
[OutputType(typeof(KubeNode))]
public sealed class EnableNodeSchedulingCommand : KubeCmdlet
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
            var node = Change(name, "Uncordon node (mark schedulable)", ct => new NodeDrainer(kube).SetSchedulingAsync(name, false, ct), Force);
            if (node is not null) WriteObject(node);
        }
    }
}
