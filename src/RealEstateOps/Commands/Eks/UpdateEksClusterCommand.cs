using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Commands.Eks;

/// <summary>
/// The runbook's "aws eks update-cluster-version": the control plane one minor up. Refused before any update call when the
/// target skips a minor (EksVersionSkip) or a managed node group still lags the current minor (EksNodeGroupBehind); EKS's
/// own readiness refusal (InvalidStateException) comes with the failing upgrade insights.
/// </summary>
[Cmdlet(VerbsData.Update, "EksCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(EksUpdate))]
public sealed class UpdateEksClusterCommand : EksCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    /// <summary>The target minor: the current one plus one.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(KubernetesVersionCompleter))]
    public string KubernetesVersion { get; set; } = "";

    /// <summary>Skips the confirmation prompt only.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    protected override void ProcessRecordCore()
    {
        var cluster = ClusterNameOf(ClusterName);
        var version = Minor(KubernetesVersion);
        var step = Run(ct => Eks.CheckControlPlaneStepAsync(cluster, version, ct));
        WriteVerbose($"Control plane of '{cluster}': {step.From} -> {step.To}; node groups at {step.From}: {string.Join(", ", step.NodeGroups.Select(g => g.NodeGroupName))}.");
        var request = new EksClusterVersionUpdate { ClusterName = cluster, KubernetesVersion = version };
        var action = $"Update the control plane from Kubernetes {step.From} to {step.To} (cannot be undone)";
        var update = Wait
            ? ChangeThenWait(cluster, action, ct => Eks.UpdateClusterVersionAsync(request, ct), started => WaitForUpdate(started, Timeout), Force)
            : Change(cluster, action, ct => Eks.UpdateClusterVersionAsync(request, ct), Force);
        if (update is not null) WriteObject(update);
    }
}
