using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Commands.Eks;

/// <summary>
/// Waits for an EKS update to be Successful, with its phase as progress; Failed or Cancelled is an error with the update's
/// error codes (PodEvictionFailure naming pods and budgets). Ctrl+C stops the wait only: the update goes on at AWS.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "EksUpdate")]
[OutputType(typeof(EksUpdate))]
public sealed class WaitEksUpdateCommand : EksCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("NodeGroupName")]
    [ArgumentCompleter(typeof(EksNodeGroupCompleter))]
    public string? NodeGroup { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksAddonNameCompleter))]
    public string? AddonName { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string UpdateId { get; set; } = "";

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    [Parameter] public string? Kubeconfig { get; set; }
    [Parameter] public string? KubeContext { get; set; }

    protected override bool ReadsNodes => true;
    protected override string? KubeconfigParameter => Kubeconfig;
    protected override string? KubeContextParameter => KubeContext;

    protected override void ProcessRecordCore()
    {
        var update = new EksUpdate
        {
            ClusterName = ClusterNameOf(ClusterName), UpdateId = UpdateId,
            NodeGroupName = string.IsNullOrEmpty(NodeGroup) ? null : NodeGroup, AddonName = string.IsNullOrEmpty(AddonName) ? null : AddonName,
        };
        WriteObject(WaitForUpdate(update, Timeout));
    }
}
