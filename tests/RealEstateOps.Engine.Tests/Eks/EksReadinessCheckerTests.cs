using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Tests.Kubernetes;

namespace RealEstateOps.Engine.Tests.Eks;

/// <summary>The upgrade pre-flight against a fresh sandbox cluster (EKS at 1.32 over its Kubernetes nodes), one verdict per check.</summary>
public class EksReadinessCheckerTests : KubeSandboxTest
{
    private static readonly EksReadinessWindow OpenWindow = new() { Window = "Daily 00:00-24:00 UTC", IsOpen = true, ClosesAt = DateTimeOffset.UtcNow.AddHours(1) };

    private (EksClient Client, EksReadinessChecker Checker) Open()
    {
        Sandbox.Host.Context.Clock.Speed = 300;
        var client = EksClient.Create(Sandbox.Target("eks"));
        return (client, new EksReadinessChecker(new EksOperations(client, Kube), Kube));
    }

    private static EksReadinessRequest For(string? version) => new() { ClusterName = "real-estate-ai-cluster", TargetVersion = version };

    [Fact]
    public async Task The_seeded_cluster_is_ready_for_133_with_the_add_ons_that_must_move_and_the_budget_that_slows_a_drain()
    {
        var (client, checker) = Open();
        using var _ = client;
        var report = await checker.CheckAsync(For(null), OpenWindow, null, default);

        Assert.Equal(("1.32", "1.33"), (report.CurrentVersion, report.TargetVersion));
        Assert.Empty(report.Failed);
        Assert.Equal(EksReadinessResult.Warn, report.Result);
        Assert.Equal(new[] { "AddonCompatibility", "ControlPlaneVersion", "DisruptionBudget", "MaintenanceWindow", "NodeGroupUpdateConfig", "UpdateInProgress", "UpgradeInsight", "VersionSkew" },
            report.Checks.Select(c => c.Check).Distinct().Order(StringComparer.Ordinal));
        Assert.All(report.Checks, c => Assert.Equal(("real-estate-ai-cluster", "1.33"), (c.Cluster, c.TargetVersion)));
        Assert.All(report.Checks.Where(c => c.Result == EksReadinessResult.Pass), c => Assert.Null(c.Recommendation));
        Assert.All(report.Checks.Where(c => c.Result != EksReadinessResult.Pass), c => Assert.False(string.IsNullOrEmpty(c.Recommendation)));

        // Add-ons whose installed version does not support 1.33 must move, to 1.33's default.
        var warned = report.Checks.Where(c => c.Check == "AddonCompatibility" && c.Result == EksReadinessResult.Warn).Select(c => c.Subject).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "addon/coredns", "addon/kube-proxy" }, warned);
        Assert.Contains("v1.33.0-eksbuild", report.Checks.Single(c => c.Subject == "addon/kube-proxy").Detail);

        // Skew per node group and per node, as the Kubernetes API reports the kubelets.
        var nodes = report.Checks.Where(c => c.Check == "VersionSkew" && c.Subject.StartsWith("node/", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, nodes.Count);
        Assert.All(nodes, c => Assert.Equal(EksReadinessResult.Pass, c.Result));
        Assert.Contains(nodes, c => c.Subject == "node/" + Node1 && c.Detail.Contains("v1.32.3-eks", StringComparison.Ordinal));

        // The drain's own prediction: two api-service pods on the first node, a budget that lets one go at a time.
        var budget = report.Checks.Single(c => c.Subject == "pdb/real-estate-ai/api-service-pdb");
        Assert.Equal(EksReadinessResult.Warn, budget.Result);
        Assert.Contains("api-service-", budget.Detail);
        Assert.Contains(Node1, budget.Detail);
        Assert.Equal(EksReadinessResult.Pass, report.Checks.Single(c => c.Check == "MaintenanceWindow").Result);
    }

    [Fact]
    public async Task A_budget_that_allows_no_eviction_fails_with_its_pods_and_the_error_names_it()
    {
        var (client, checker) = Open();
        using var _ = client;
        var patch = new JsonObject { ["spec"] = new JsonObject { ["minAvailable"] = 3 } };
        await Kube.Call(api => api.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "api-service-pdb", Ns), "PodDisruptionBudget", "api-service-pdb", Ns);
        // The budget's status follows on the sandbox clock.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Kube.Call(api => api.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("api-service-pdb", Ns), "PodDisruptionBudget", "api-service-pdb", Ns)).Status?.DisruptionsAllowed != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the budget never showed 0 disruptions allowed");
            await Task.Delay(100);
        }

        var report = await checker.CheckAsync(For("1.33"), OpenWindow, null, default);
        var budget = report.Checks.Single(c => c.Subject == "pdb/real-estate-ai/api-service-pdb");
        Assert.Equal(EksReadinessResult.Fail, budget.Result);
        Assert.Contains("PodEvictionFailure", budget.Detail);
        Assert.Contains("standard-nodes", budget.Detail);
        Assert.Contains("ForceEvictPastDisruptionBudget", budget.Recommendation);
        var error = report.NotReadyError(isFatal: true);
        Assert.Equal("EksUpgradeNotReady", error.ErrorId);
        Assert.True(error.IsFatal);
        Assert.Contains("api-service-pdb", error.Message);
        Assert.Contains("Nothing was changed", error.Message);
    }

    [Fact]
    public async Task A_skipped_minor_and_a_closed_enforced_window_fail_an_ignored_window_warns()
    {
        var (client, checker) = Open();
        using var _ = client;
        var closed = new EksReadinessWindow { Window = "LastSat 01:00-05:00 UTC", IsOpen = false, Enforced = true, NextOpensAt = DateTimeOffset.UtcNow.AddDays(3) };

        var skip = await checker.CheckAsync(For("1.34"), closed, null, default);
        var cp = skip.Checks.Single(c => c.Check == "ControlPlaneVersion");
        Assert.Equal(EksReadinessResult.Fail, cp.Result);
        Assert.Contains("1.33", cp.Detail);
        var window = skip.Checks.Single(c => c.Check == "MaintenanceWindow");
        Assert.Equal(EksReadinessResult.Fail, window.Result);
        Assert.Contains("OutsideMaintenanceWindow", window.Detail);

        var ignored = await checker.CheckAsync(new EksReadinessRequest { ClusterName = "real-estate-ai-cluster", TargetVersion = "1.33", IgnoreMaintenanceWindow = true }, closed, null, default);
        Assert.Equal(EksReadinessResult.Warn, ignored.Checks.Single(c => c.Check == "MaintenanceWindow").Result);
        var notEnforced = await checker.CheckAsync(For("1.33"), new EksReadinessWindow { Window = "LastSat 01:00-05:00 UTC", IsOpen = false }, null, default);
        Assert.Equal(EksReadinessResult.Warn, notEnforced.Checks.Single(c => c.Check == "MaintenanceWindow").Result);
    }

    [Fact]
    public void UpdateConfig_fails_at_zero_and_warns_above_the_room_the_pods_requests_leave()
    {
        var checker = new EksReadinessChecker(new EksOperations(new NoEks(), Kube), Kube);
        var nodes = Enumerable.Range(1, 3).Select(i => new KubeNode { Name = "n" + i, NodeGroup = "g", AllocatableCpuMillicores = 1000, AllocatableMemoryMiB = 4096 }).ToList();
        V1Pod Pod(string node, string cpu) => new()
        {
            Metadata = new V1ObjectMeta { Name = "p-" + Guid.NewGuid().ToString("N")[..6] },
            Spec = new V1PodSpec { NodeName = node, Containers = new List<V1Container> { new() { Name = "c", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("100Mi") } } } } },
            Status = new V1PodStatus { Phase = "Running" },
        };
        // 1.5 cores requested on three one-core nodes: two nodes are needed, one may be out.
        var facts = new EksReadinessChecker.ClusterFacts(nodes, new[] { Pod("n1", "800m"), Pod("n2", "700m") });
        Assert.Equal(1, EksReadinessChecker.SpareNodes(nodes, facts.Pods));
        EksReadinessCheck Check(int? max, int? pct) =>
            checker.UpdateConfigChecks("c", new EksVersion(1, 33), new[] { new EksReadinessChecker.GroupFacts("g", "1.32", 3, max, pct) }, facts).Single();

        Assert.Equal(EksReadinessResult.Fail, Check(0, null).Result);
        Assert.Equal(EksReadinessResult.Pass, Check(1, null).Result);
        var two = Check(2, null);
        Assert.Equal(EksReadinessResult.Warn, two.Result);
        Assert.Contains("room for 1 of its 3", two.Detail);
        Assert.Equal(EksReadinessResult.Warn, Check(null, 67).Result); // 67% of 3 is 2 nodes
        Assert.Equal(EksReadinessResult.Pass, Check(null, 33).Result); // at least one node
    }

    /// <summary>An EKS client that must not be called (the checks under test read nothing from EKS).</summary>
    private sealed class NoEks : IEksClient
    {
        private static Task<T> No<T>() => throw new InvalidOperationException("EKS was called");
        public Task<EksPage<string>> ListClustersAsync(int? maxResults, string? nextToken, CancellationToken ct) => No<EksPage<string>>();
        public Task<EksCluster> DescribeClusterAsync(string name, CancellationToken ct) => No<EksCluster>();
        public Task<EksPage<string>> ListNodegroupsAsync(string clusterName, int? maxResults, string? nextToken, CancellationToken ct) => No<EksPage<string>>();
        public Task<EksNodeGroup> DescribeNodegroupAsync(string clusterName, string nodegroupName, CancellationToken ct) => No<EksNodeGroup>();
        public Task<EksUpdate> UpdateNodegroupVersionAsync(EksNodeGroupVersionUpdate request, CancellationToken ct) => No<EksUpdate>();
        public Task<EksUpdate> UpdateClusterVersionAsync(EksClusterVersionUpdate request, CancellationToken ct) => No<EksUpdate>();
        public Task<EksPage<string>> ListUpdatesAsync(string clusterName, string? nodegroupName, string? addonName, int? maxResults, string? nextToken, CancellationToken ct) => No<EksPage<string>>();
        public Task<EksUpdate> DescribeUpdateAsync(string clusterName, string updateId, string? nodegroupName, string? addonName, CancellationToken ct) => No<EksUpdate>();
        public Task<EksPage<string>> ListAddonsAsync(string clusterName, int? maxResults, string? nextToken, CancellationToken ct) => No<EksPage<string>>();
        public Task<EksAddon> DescribeAddonAsync(string clusterName, string addonName, CancellationToken ct) => No<EksAddon>();
        public Task<EksPage<EksAddonCatalogEntry>> DescribeAddonVersionsAsync(string? kubernetesVersion, string? addonName, int? maxResults, string? nextToken, CancellationToken ct) => No<EksPage<EksAddonCatalogEntry>>();
        public Task<EksUpdate> UpdateAddonAsync(EksAddonUpdate request, CancellationToken ct) => No<EksUpdate>();
        public Task<EksPage<EksInsight>> ListInsightsAsync(string clusterName, EksInsightFilter? filter, int? maxResults, string? nextToken, CancellationToken ct) => No<EksPage<EksInsight>>();
        public Task<EksInsight> DescribeInsightAsync(string clusterName, string id, CancellationToken ct) => No<EksInsight>();
    }
}
