using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.Eks;

/// <summary>A node of an EKS node group as the cluster itself reports it (label eks.amazonaws.com/nodegroup): its kubelet's version and whether pods can be scheduled on it.</summary>
public sealed class EksNode
{
    public string Name { get; init; } = "";
    public string? NodeGroup { get; init; }
    /// <summary>The kubelet's version as the node reports it, e.g. "v1.32.3-eks-473151a".</summary>
    public string? KubeletVersion { get; init; }
    public bool IsReady { get; init; }
    /// <summary>False when the node is cordoned (spec.unschedulable).</summary>
    public bool IsSchedulable { get; init; }
    /// <summary>kubectl's STATUS column: Ready, NotReady, with ",SchedulingDisabled" when cordoned.</summary>
    public string Status { get; init; } = "";
    public string? InstanceType { get; init; }
    public string? Zone { get; init; }
    public TimeSpan Age { get; init; }

    /// <summary>The kubelet's minor ("1.32"), or null when the node does not say.</summary>
    public string? KubeletMinor => EksVersion.TryParse(KubeletVersion, out var v) ? v.ToString() : null;

    public static EksNode From(KubeNode node) => new()
    {
        Name = node.Name, NodeGroup = node.NodeGroup, KubeletVersion = node.Version, IsReady = node.IsReady, IsSchedulable = !node.Unschedulable,
        Status = node.Status, InstanceType = node.InstanceType, Zone = node.Zone, Age = node.Age,
    };

    public override string ToString() => Name;
}
