using System.Runtime.CompilerServices;
using k8s;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>kubectl top: node and pod usage from the metrics API (metrics-server), CPU in millicores, memory in MiB.</summary>
public sealed class ResourceUsageReader
{
    private readonly KubeClient _client;

    public ResourceUsageReader(KubeClient client) => _client = client;

    /// <summary>
    /// The usage of the nodes the request selects (names, label selector), as a stream, page by page of the node
    /// list; the metrics are read once, with the first page. A node without metrics yet is left out, as kubectl
    /// top leaves it out.
    /// </summary>
    public async IAsyncEnumerable<NodeUsage> NodesAsync(KubeListRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        Dictionary<string, k8s.Models.NodeMetrics>? byName = null;
        await foreach (var node in new KubeQueries(_client).ListNodesAsync(request, ct).ConfigureAwait(false))
        {
            byName ??= (await _client.Call(api => MetricsCall(() => api.GetKubernetesNodesMetricsAsync()), "NodeMetrics", null, null).ConfigureAwait(false))
                .Items.ToDictionary(m => m.Metadata.Name);
            if (!byName.TryGetValue(node.Name, out var m)) continue;
            var cpu = Kube.Millicores(m.Usage["cpu"]);
            var memBytes = (double)m.Usage["memory"].ToDecimal();
            var allocMem = node.AllocatableMemoryMiB * 1024 * 1024;
            yield return new NodeUsage
            {
                Name = node.Name, CpuMillicores = cpu, MemoryMiB = Math.Floor(memBytes / (1024 * 1024)),
                CpuPercent = node.AllocatableCpuMillicores > 0 ? (int)(cpu * 100 / node.AllocatableCpuMillicores) : 0,
                MemoryPercent = allocMem > 0 ? (int)(memBytes * 100 / allocMem) : 0,
                AllocatableCpuMillicores = node.AllocatableCpuMillicores, AllocatableMemoryMiB = node.AllocatableMemoryMiB, NodeGroup = node.NodeGroup,
                Timestamp = m.Timestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null,
            };
        }
    }

    /// <summary>The usage of the pods of the request's namespace (all, or by name with wildcards); the metrics API has no paging.</summary>
    public async Task<List<PodUsage>> PodsAsync(KubeListRequest request, CancellationToken ct)
    {
        var ns = request.Namespace ?? throw new ArgumentException("Pod usage is read in one namespace.", nameof(request));
        var names = request.Names;
        var metrics = await _client.Call(api => MetricsCall(() => api.GetKubernetesPodsMetricsByNamespaceAsync(ns)), "PodMetrics", null, ns).ConfigureAwait(false);
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
        if (result.Count == 0 && patterns.Length == 0) await new KubeQueries(_client).RequireNamespaceAsync(ns, ct).ConfigureAwait(false);
        foreach (var name in names ?? Array.Empty<string>())
            if (!Wildcard.HasWildcard(name) && result.All(p => p.Name != name))
                throw new OpsException("PodMetricsNotFound", OpsErrorCategory.ObjectNotFound, $"No metrics for pod '{name}' in namespace '{ns}' (the pod does not exist or is not running yet).", name);
        return result;
    }

    /// <summary>A metrics API that is not installed answers 404 on its group: say so plainly.</summary>
    private static async Task<T> MetricsCall<T>(Func<Task<T>> call)
    {
        try { return await call().ConfigureAwait(false); }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new OpsException("MetricsApiUnavailable", OpsErrorCategory.ResourceUnavailable,
                "The metrics API (metrics.k8s.io) is not available in this cluster; install metrics-server.", null, ExceptionSanitizer.Sanitize(ex));
        }
    }
}
