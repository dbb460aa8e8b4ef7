using System.Management.Automation;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl cordon: marks nodes unschedulable (no change when already so).</summary>
[Maintenance.MaintenanceWindow("Kubernetes")]
[Cmdlet(VerbsLifecycle.Disable, "NodeScheduling", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("cordon")]
[OutputType(typeof(KubeNode))]
public sealed class DisableNodeSchedulingCommand : NodeSchedulingCommandBase
{
    protected override bool Unschedulable => true;
}
