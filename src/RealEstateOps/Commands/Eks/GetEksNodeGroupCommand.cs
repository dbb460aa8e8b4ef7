using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Commands.Eks;

/// <summary>
/// The runbook's "aws eks describe-nodegroup": status, version, release version, scaling, updateConfig and health issues,
/// with the group's nodes as the cluster reports them (label eks.amazonaws.com/nodegroup): kubelet version and schedulability.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EksNodeGroup", DefaultParameterSetName = "Named")]
[OutputType(typeof(EksNodeGroup))]
public sealed class GetEksNodeGroupCommand : EksCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "Named")]
    [Alias("NodeGroupName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EksNodeGroupCompleter))]
    public string[]? NodeGroup { get; set; }

    /// <summary>Every node group of the cluster, whatever the context's NodeGroup says.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "All")]
    public SwitchParameter All { get; set; }

    /// <summary>EKS's answer only: the cluster's nodes are not read.</summary>
    [Parameter] public SwitchParameter NoNodes { get; set; }

    [Parameter]
    [ValidateRange(1, 100)]
    public int PageSize { get; set; } = 100;

    [Parameter] public string? Kubeconfig { get; set; }
    [Parameter] public string? KubeContext { get; set; }

    protected override bool ReadsNodes => !NoNodes;
    protected override bool WarnWithoutNodes => true;
    protected override string? KubeconfigParameter => Kubeconfig;
    protected override string? KubeContextParameter => KubeContext;

    protected override void ProcessRecordCore()
    {
        var cluster = ClusterNameOf(ClusterName);
        string[] names;
        if (All || NodeGroup is { Length: > 0 }) names = All ? Array.Empty<string>() : NodeGroup!;
        else names = Setting(null, "NodeGroup", c => c.NodeGroup)?.Value is { Length: > 0 } fromContext ? new[] { fromContext } : Array.Empty<string>();
        foreach (var name in names.Where(n => !Wildcard.HasWildcard(n)))
        {
            try
            {
                WriteObject(Run(ct => Eks.GetNodeGroupAsync(cluster, name, !NoNodes, Listener, ct)));
            }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                WriteOpsError(ex);
            }
        }
        var patterns = names.Where(Wildcard.HasWildcard).ToArray();
        if (names.Length == 0 || patterns.Length > 0)
            Stream(ct => Eks.GetNodeGroupsAsync(new EksNodeGroupQuery { ClusterName = cluster, NodeGroupNames = patterns, IncludeNodes = !NoNodes, PageSize = PageSize }, Listener, ct));
    }
}
