using k8s;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A node's usage from metrics.k8s.io, and its share of the node's allocatable, as kubectl top nodes computes it.</summary>
public sealed class NodeUsage
{
    public string Name { get; init; } = "";
    public double CpuMillicores { get; init; }
    public int CpuPercent { get; init; }
    public double MemoryMiB { get; init; }
    public int MemoryPercent { get; init; }
    public double AllocatableCpuMillicores { get; init; }
    public double AllocatableMemoryMiB { get; init; }
    public string? NodeGroup { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
}

public sealed class ContainerUsage
{
    public string Name { get; init; } = "";
    public double CpuMillicores { get; init; }
    public double MemoryMiB { get; init; }
}

/// <summary>A pod's usage from metrics.k8s.io (the sum of its containers), as kubectl top pods shows it.</summary>
public sealed class PodUsage
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public double CpuMillicores { get; init; }
    public double MemoryMiB { get; init; }
    public ContainerUsage[] Containers { get; init; } = Array.Empty<ContainerUsage>();
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>kubectl top: node and pod usage from the metrics API (metrics-server), CPU in millicores, memory in MiB.</summary>
public sealed class ResourceUsageReader
{
    private readonly KubeConnection _kube;

    public ResourceUsageReader(KubeConnection kube) => _kube = kube;

    public async Task<List<NodeUsage>> NodesAsync(string[]? names, string? nodeGroup, CancellationToken ct)
    {
        var nodes = new List<KubeNode>();
        var selector = nodeGroup is null ? null : Kube.NodeGroupLabel + "=" + nodeGroup;
        await new KubeQueries(_kube).ListNodesAsync(new KubeListRequest { Names = names, Selector = selector }, nodes.Add, ct).ConfigureAwait(false);
        var metrics = await KubeConnection.Call(() => MetricsCall(() => _kube.Client.GetKubernetesNodesMetricsAsync()), "NodeMetrics", null, null).ConfigureAwait(false);
        var byName = metrics.Items.ToDictionary(m => m.Metadata.Name);
        var result = new List<NodeUsage>();
        foreach (var node in nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (!byName.TryGetValue(node.Name, out var m)) continue; // metrics not yet available for this node, as kubectl top leaves it out
            var cpu = Kube.Millicores(m.Usage["cpu"]);
            var memBytes = (double)m.Usage["memory"].ToDecimal();
            var allocMem = node.AllocatableMemoryMiB * 1024 * 1024;
            result.Add(new NodeUsage
            {
                Name = node.Name, CpuMillicores = cpu, MemoryMiB = Math.Floor(memBytes / (1024 * 1024)),
                CpuPercent = node.AllocatableCpuMillicores > 0 ? (int)(cpu * 100 / node.AllocatableCpuMillicores) : 0,
                MemoryPercent = allocMem > 0 ? (int)(memBytes * 100 / allocMem) : 0,
                AllocatableCpuMillicores = node.AllocatableCpuMillicores, AllocatableMemoryMiB = node.AllocatableMemoryMiB, NodeGroup = node.NodeGroup,
                Timestamp = m.Timestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null,
            });
        }
        return result;
    }

    public async Task<List<PodUsage>> PodsAsync(string ns, string[]? names, CancellationToken ct)
    {
        var metrics = await KubeConnection.Call(() => MetricsCall(() => _kube.Client.GetKubernetesPodsMetricsByNamespaceAsync(ns)), "PodMetrics", null, ns).ConfigureAwait(false);
        var patterns = names?.Where(n => n.Length > 0).Select(Wildcard.ToRegex).ToArray() ?? Array.Empty<System.Text.RegularExpressions.Regex>();
        var result = metrics.Items
            .Where(m => patterns.Length == 0 || patterns.Any(p => p.IsMatch(m.Metadata.Name)))
            .OrderBy(m => m.Metadata.Name, StringComparer.Ordinal)
            .Select(m =>
            {
                var containers = m.Containers.Select(c => new ContainerUsage
                {
                    Name = c.Name, CpuMillicores = Kube.Millicores(c.Usage["cpu"]), MemoryMiB = Math.Floor((double)c.Usage["memory"].ToDecimal() / (1024 * 1024)),
                }).ToArray();
                return new PodUsage
                {
                    Namespace = m.Metadata.NamespaceProperty ?? ns, Name = m.Metadata.Name, Containers = containers,
                    CpuMillicores = containers.Sum(c => c.CpuMillicores),
                    MemoryMiB = Math.Floor(m.Containers.Sum(c => (double)c.Usage["memory"].ToDecimal()) / (1024 * 1024)),
                    Timestamp = m.Timestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null,
                };
            }).ToList();
        if (result.Count == 0 && patterns.Length == 0) await new KubeQueries(_kube).RequireNamespaceAsync(ns, ct).ConfigureAwait(false);
        foreach (var name in names ?? Array.Empty<string>())
            if (!Wildcard.HasWildcard(name) && result.All(p => p.Name != name))
                throw new OpsException("PodMetricsNotFound", OpsErrorCategory.ObjectNotFound, $"No metrics for pod '{name}' in namespace '{ns}' (the pod does not exist or is not running yet).", name);
        return result;
    }

    /// <summary>A metrics API that is not installed answers 404 on its group: say so plainly.</summary>
    private static async Task<T> MetricsCall<T>(Func<Task<T>> call)
    {
        try { return await call().ConfigureAwait(false); }
        catch (k8s.Autorest.HttpOperationException ex) when (KubeErrors.StatusCode(ex) == 404)
        {
            throw new OpsException("MetricsApiUnavailable", OpsErrorCategory.ResourceUnavailable,
                "The metrics API (metrics.k8s.io) is not available in this cluster; install metrics-server.", null, ExceptionSanitizer.Sanitize(ex));
        }
    }
}
