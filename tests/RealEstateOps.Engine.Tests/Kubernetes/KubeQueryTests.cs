using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.Tests.Kubernetes;

public class KubeQueryTests : KubeSandboxTest
{
    [Fact]
    public async Task Lists_pods_page_by_page_with_continue_tokens()
    {
        var before = await RequestCountAsync();
        var paged = await ListAsync(new KubeQueries(Kube).ListPodsAsync(new KubeListRequest { Namespace = Ns, PageSize = 4 }, default));
        var requests = await RequestCountAsync() - before;
        var whole = await ListAsync(new KubeQueries(Kube).ListPodsAsync(new KubeListRequest { Namespace = Ns }, default));
        Assert.Equal(13, paged.Count);
        Assert.Equal(whole.Select(p => p.Name), paged.Select(p => p.Name));
        Assert.Equal(4, requests); // 4 + 4 + 4 + 1
        Assert.All(paged, p => Assert.Equal("Running", p.Status));
        Assert.Equal("2/2", paged.First(p => p.Name.StartsWith("api-service-")).Ready);
        Assert.StartsWith("ReplicaSet/api-service-", paged.First(p => p.Name.StartsWith("api-service-")).Controller);
    }

    [Fact]
    public async Task Selects_by_wildcard_label_node_group_and_reports_unknown_names()
    {
        var pods = await ListAsync(new KubeQueries(Kube).ListPodsAsync(new KubeListRequest { Namespace = Ns, Names = new[] { "auth-*", "frontend-*" } }, default));
        Assert.Equal(4, pods.Count);
        var deployments = await ListAsync(new KubeQueries(Kube).ListDeploymentsAsync(new KubeListRequest { Namespace = Ns, Selector = "app in (api-service,llm-service)" }, default));
        Assert.Equal(new[] { "api-service", "llm-service" }, deployments.Select(d => d.Name));
        var nodes = await ListAsync(new KubeQueries(Kube).ListNodesAsync(new KubeListRequest { Selector = RealEstateOps.Engine.Kubernetes.Kube.NodeGroupLabel + "=standard-nodes" }, default));
        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, n => Assert.Equal("standard-nodes", n.NodeGroup));

        var missing = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new KubeQueries(Kube).ListPodsAsync(new KubeListRequest { Namespace = Ns, Names = new[] { "nope" } }, default)));
        Assert.Equal("PodNotFound", missing.ErrorId);
        var node = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new KubeQueries(Kube).ListNodesAsync(new KubeListRequest { Names = new[] { "nope" } }, default)));
        Assert.Equal("NodeNotFound", node.ErrorId);
        var ns = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new KubeQueries(Kube).ListDeploymentsAsync(new KubeListRequest { Namespace = "nope" }, default)));
        Assert.Equal("NamespaceNotFound", ns.ErrorId);
    }

    [Fact]
    public async Task Connection_errors_have_specific_ids()
    {
        var noFile = Assert.Throws<OpsException>(() => KubeClient.Open(new KubeTarget { Kubeconfig = Path.Combine(Sandbox.StateDir, "missing") }));
        Assert.Equal("KubeconfigNotFound", noFile.ErrorId);
        var noContext = Assert.Throws<OpsException>(() => Open("nosuch"));
        Assert.Equal("KubeContextNotFound", noContext.ErrorId);

        var dead = Path.Combine(Sandbox.StateDir, "dead-kubeconfig");
        await File.WriteAllTextAsync(dead, Kubeconfig($"http://127.0.0.1:{Ports.Free()}", CredentialFile, Sandbox.Secrets.KubeAdminToken, Sandbox.Secrets.KubeReadOnlyToken));
        using var unreachable = KubeClient.Open(new KubeTarget { Kubeconfig = dead, RetryPolicy = new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1) } });
        var down = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new KubeQueries(unreachable).ListNodesAsync(new KubeListRequest(), default)));
        Assert.Equal("KubeApiUnreachable", down.ErrorId);

        using var readOnly = Open("readonly");
        var forbidden = await Assert.ThrowsAsync<OpsException>(() => new NodeDrainer(readOnly).SetSchedulingAsync(Node1, true, default));
        Assert.Equal("KubeForbidden", forbidden.ErrorId);
        Assert.NotEqual(true, (await Kube.Api.CoreV1.ReadNodeAsync(Node1)).Spec.Unschedulable);
    }

    [Fact]
    public async Task Exec_credential_plugins_keep_working()
    {
        using var exec = Open("exec");
        var nodes = await ListAsync(new KubeQueries(exec).ListNodesAsync(new KubeListRequest(), default));
        Assert.Equal(4, nodes.Count);
    }

    [Fact]
    public async Task Usage_is_in_millicores_and_MiB_with_percentages_of_allocatable()
    {
        var nodes = await ListAsync(new ResourceUsageReader(Kube).NodesAsync(new KubeListRequest { Selector = RealEstateOps.Engine.Kubernetes.Kube.NodeGroupLabel + "=standard-nodes" }, default));
        Assert.Equal(3, nodes.Count);
        foreach (var n in nodes)
        {
            Assert.Equal(3920, n.AllocatableCpuMillicores);
            Assert.InRange(n.CpuMillicores, 1, 3920);
            Assert.Equal((int)(n.CpuMillicores * 100 / 3920), n.CpuPercent);
            Assert.InRange(n.MemoryPercent, 1, 99);
        }
        var pods = await new ResourceUsageReader(Kube).PodsAsync(new KubeListRequest { Namespace = Ns, Names = new[] { "api-service-*" } }, default);
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal(new[] { "api", "envoy" }, p.Containers.Select(c => c.Name)));
        Assert.All(pods, p => Assert.Equal(p.Containers.Sum(c => c.CpuMillicores), p.CpuMillicores));
    }

    [Fact]
    public async Task Logs_of_a_deployment_use_the_default_container_tail_and_pattern()
    {
        var lines = await ListAsync(new PodLogReader(Kube).ReadAsync(new PodLogRequest { Namespace = Ns, Deployment = "api-service", Tail = 3 }, default));
        Assert.Equal(9, lines.Count);
        Assert.All(lines, l => Assert.Equal("api", l.Container)); // the default-container annotation, as kubectl chooses
        Assert.All(lines, l => Assert.NotNull(l.Timestamp));
        Assert.Equal(3, lines.Select(l => l.Pod).Distinct().Count());

        var errors = await ListAsync(new PodLogReader(Kube).ReadAsync(new PodLogRequest { Namespace = Ns, Deployment = "api-service", Pattern = "GET /health" }, default));
        Assert.NotEmpty(errors);
        Assert.All(errors, l => Assert.Contains("GET /health", l.Text));

        var badContainer = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new PodLogReader(Kube).ReadAsync(new PodLogRequest { Namespace = Ns, Deployment = "api-service", Container = "nope" }, default)));
        Assert.Equal("ContainerNotFound", badContainer.ErrorId);
        var previous = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new PodLogReader(Kube).ReadAsync(new PodLogRequest { Namespace = Ns, Deployment = "auth-service", Previous = true }, default)));
        Assert.Equal("KubeInvalid", previous.ErrorId);
    }

    [Fact]
    public async Task Follow_streams_new_lines_until_cancelled()
    {
        var pod = (await Kube.Api.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=auth-service")).Items[0].Metadata.Name;
        var lines = new List<PodLogLine>();
        using var cts = new CancellationTokenSource();
        var follow = Task.Run(async () =>
        {
            await foreach (var l in new PodLogReader(Kube).ReadAsync(new PodLogRequest { Namespace = Ns, Pod = pod, Tail = 1, Follow = true }, cts.Token))
                lock (lines) lines.Add(l);
        });
        await WaitUntilAsync(() => { lock (lines) return Task.FromResult(lines.Count >= 4); });
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follow);
    }
}
