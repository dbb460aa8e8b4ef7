using k8s.Models;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A node as kubectl get nodes shows it, plus its EKS node group, instance type, zone and allocatable.</summary>
public sealed class KubeNode
{
    public string Name { get; init; } = "";
    /// <summary>kubectl's STATUS column: Ready, NotReady, with ",SchedulingDisabled" when cordoned.</summary>
    public string Status { get; init; } = "";
    public string Roles { get; init; } = "<none>";
    public TimeSpan Age { get; init; }
    public string? Version { get; init; }
    public string? NodeGroup { get; init; }
    public string? InstanceType { get; init; }
    public string? Zone { get; init; }
    public string? InternalIP { get; init; }
    public bool Unschedulable { get; init; }
    public bool IsReady { get; init; }
    public double AllocatableCpuMillicores { get; init; }
    public double AllocatableMemoryMiB { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public static KubeNode From(V1Node n, DateTimeOffset now)
    {
        var labels = n.Metadata.Labels ?? new Dictionary<string, string>();
        var ready = n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        var roles = labels.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]).ToList();
        return new KubeNode
        {
            Name = n.Metadata.Name, IsReady = ready, Unschedulable = n.Spec?.Unschedulable == true,
            Status = (ready ? "Ready" : "NotReady") + (n.Spec?.Unschedulable == true ? ",SchedulingDisabled" : ""),
            Roles = roles.Count == 0 ? "<none>" : string.Join(',', roles), Age = Kube.Age(n.Metadata.CreationTimestamp, now),
            Version = n.Status?.NodeInfo?.KubeletVersion, NodeGroup = labels.TryGetValue(Kube.NodeGroupLabel, out var g) ? g : null,
            InstanceType = labels.TryGetValue("node.kubernetes.io/instance-type", out var it) ? it : null,
            Zone = labels.TryGetValue("topology.kubernetes.io/zone", out var z) ? z : null,
            InternalIP = n.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address,
            AllocatableCpuMillicores = n.Status?.Allocatable?.TryGetValue("cpu", out var cpu) == true ? Kube.Millicores(cpu) : 0,
            AllocatableMemoryMiB = n.Status?.Allocatable?.TryGetValue("memory", out var mem) == true ? Kube.MiB(mem) : 0,
            Labels = new Dictionary<string, string>(labels),
        };
    }
}
