using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>What cordon and uncordon share: nodes by name, -Force, one strategic-merge patch each (no change when already so).</summary>
public abstract class NodeSchedulingCommandBase : KubeCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>True to cordon (spec.unschedulable = true), false to uncordon.</summary>
    protected abstract bool Unschedulable { get; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var action = Unschedulable ? "Cordon node (mark unschedulable)" : "Uncordon node (mark schedulable)";
        foreach (var name in Name)
        {
            var node = Change(name, action, ct => new NodeDrainer(client).SetSchedulingAsync(name, Unschedulable, ct), Force);
            if (node is not null) WriteObject(node);
        }
    }
}
