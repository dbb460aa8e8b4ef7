using System.Management.Automation;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl uncordon: marks nodes schedulable again (no change when already so).</summary>
[Cmdlet(VerbsLifecycle.Enable, "NodeScheduling", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("uncordon")]
[OutputType(typeof(KubeNode))]
public sealed class EnableNodeSchedulingCommand : NodeSchedulingCommandBase
{
    protected override bool Unschedulable => false;
}
