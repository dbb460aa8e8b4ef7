using System.Net;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Tests.Eks;

/// <summary>EksOperations on a scripted EKS: the control plane's pre-checks, EKS's readiness refusal with its insights, add-on versions per minor, waits.</summary>
public class EksOperationsTests
{
    /// <summary>A small EKS: one cluster at <paramref name="version"/>, node groups at their versions, add-ons, a catalogue, insights and updates.</summary>
    private static EksScripted Eks(string version, Dictionary<string, string> groups, Func<EksScripted.Request, HttpResponseMessage?>? extra = null) => new(r =>
    {
        if (extra?.Invoke(r) is { } answer) return answer;
        var p = r.Path;
        if (p == "/clusters/c") return EksScripted.Json($$$"""{"cluster":{"name":"c","status":"ACTIVE","version":"{{{version}}}"}}""");
        if (p == "/clusters/c/node-groups") return EksScripted.Json(new JsonObject { ["nodegroups"] = new JsonArray(groups.Keys.Select(k => (JsonNode?)k).ToArray()) }.ToJsonString());
        if (p.StartsWith("/clusters/c/node-groups/", StringComparison.Ordinal))
        {
            var g = p["/clusters/c/node-groups/".Length..];
            return EksScripted.Json($$$"""{"nodegroup":{"nodegroupName":"{{{g}}}","clusterName":"c","version":"{{{groups[g]}}}","status":"ACTIVE","scalingConfig":{"minSize":2,"maxSize":4,"desiredSize":3},"updateConfig":{"maxUnavailable":1} } }""");
        }
        if (p == "/clusters/c/addons") return EksScripted.Json("""{"addons":["coredns","vpc-cni"]}""");
        if (p == "/clusters/c/addons/coredns") return EksScripted.Json("""{"addon":{"addonName":"coredns","addonVersion":"v1.11.3-eksbuild.1","status":"ACTIVE"}}""");
        if (p == "/clusters/c/addons/vpc-cni") return EksScripted.Json("""{"addon":{"addonName":"vpc-cni","addonVersion":"v1.18.0-eksbuild.1","status":"ACTIVE"}}""");
        if (p == "/addons/supported-versions")
        {
            var all = new JsonArray
            {
                JsonNode.Parse("""
{"addonName":"coredns","type":"networking","addonVersions":[
                    {"addonVersion":"v1.11.3-eksbuild.1","compatibilities":[{"clusterVersion":"1.32","defaultVersion":true},{"clusterVersion":"1.33","defaultVersion":false}]},
                    {"addonVersion":"v1.11.4-eksbuild.2","compatibilities":[{"clusterVersion":"1.33","defaultVersion":true}]},
                    {"addonVersion":"v1.11.4-eksbuild.10","compatibilities":[{"clusterVersion":"1.33","defaultVersion":false}]}]}
"""),
                JsonNode.Parse("""
{"addonName":"vpc-cni","type":"networking","addonVersions":[
                    {"addonVersion":"v1.18.0-eksbuild.1","compatibilities":[{"clusterVersion":"1.32","defaultVersion":true}]},
                    {"addonVersion":"v1.19.2-eksbuild.1","compatibilities":[{"clusterVersion":"1.33","defaultVersion":true},{"clusterVersion":"1.32","defaultVersion":false}]}]}
"""),
            };
            var name = r.Query.GetValueOrDefault("addonName");
            var selected = new JsonArray(all.Where(a => name is null || (string?)a!["addonName"] == name).Select(a => a!.DeepClone()).ToArray());
            return EksScripted.Json(new JsonObject { ["addons"] = selected }.ToJsonString());
        }
        return EksScripted.Error(HttpStatusCode.NotFound, "ResourceNotFoundException", $"nothing at {p}");
    });

    private static int Updates(EksScripted s) => s.Requests.Count(r => r.Method == HttpMethod.Post && r.Path.EndsWith("/updates", StringComparison.Ordinal));

    [Theory]
    [InlineData("1.34", "EksVersionSkip")]
    [InlineData("1.31", "EksVersionDowngrade")]
    [InlineData("1.32", "EksVersionCurrent")]
    [InlineData("banana", "EksVersionInvalid")]
    public async Task A_control_plane_step_that_is_not_one_minor_up_is_refused_before_any_update(string target, string id)
    {
        var script = Eks("1.32", new() { ["standard-nodes"] = "1.32" });
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new EksOperations(client).CheckControlPlaneStepAsync("c", target, default));
        Assert.Equal(id, ex.ErrorId);
        Assert.Equal(0, Updates(script));
    }

    [Fact]
    public async Task A_node_group_behind_the_control_plane_blocks_the_step_and_is_named()
    {
        var script = Eks("1.32", new() { ["standard-nodes"] = "1.32", ["gpu-nodes"] = "1.31" });
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new EksOperations(client).CheckControlPlaneStepAsync("c", "1.33", default));
        Assert.Equal("EksNodeGroupBehind", ex.ErrorId);
        Assert.Contains("'gpu-nodes' (1.31)", ex.Message);
        Assert.DoesNotContain("standard-nodes", ex.Message);
        Assert.Contains("-NodeGroup gpu-nodes -KubernetesVersion 1.32", ex.RecommendedAction);
        Assert.Equal(0, Updates(script));
    }

    [Fact]
    public async Task One_minor_up_with_every_group_caught_up_is_allowed()
    {
        var script = Eks("1.32", new() { ["standard-nodes"] = "1.32" });
        using var client = script.Client();
        var step = await new EksOperations(client).CheckControlPlaneStepAsync("c", "v1.33", default);
        Assert.Equal(("1.32", "1.33"), (step.From, step.To));
        Assert.Equal("standard-nodes", Assert.Single(step.NodeGroups).NodeGroupName);
    }

    [Fact]
    public async Task EKS_readiness_refusal_lists_the_failing_insights_with_their_recommendation()
    {
        var script = Eks("1.32", new() { ["standard-nodes"] = "1.32" }, r => r.Path switch
        {
            "/clusters/c/updates" when r.Method == HttpMethod.Post =>
                EksScripted.Error(HttpStatusCode.BadRequest, "InvalidStateException", "Upgrade insights for the cluster have errors"),
            "/clusters/c/insights" => EksScripted.Json("""
{"insights":[
                {"id":"i-api","name":"Deprecated APIs removed in Kubernetes v1.33","category":"UPGRADE_READINESS","kubernetesVersion":"1.33","insightStatus":{"status":"ERROR","reason":"Deprecated API usage detected"}},
                {"id":"i-pass","name":"Kubelet version skew","category":"UPGRADE_READINESS","kubernetesVersion":"1.33","insightStatus":{"status":"PASSING","reason":"ok"}}]}
"""),
            "/clusters/c/insights/i-api" => EksScripted.Json("""
{"insight":{"id":"i-api","name":"Deprecated APIs removed in Kubernetes v1.33","category":"UPGRADE_READINESS","kubernetesVersion":"1.33",
                "insightStatus":{"status":"ERROR","reason":"Deprecated API usage detected"},"recommendation":"Update manifests to use flowcontrol.apiserver.k8s.io/v1",
                "resources":[{"kubernetesResourceUri":"/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas/probes"}],
                "categorySpecificSummary":{"deprecationDetails":[{"usage":"/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas","replacedWith":"/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas","stopServingVersion":"1.32","clientStats":[{"userAgent":"kubectl"}]}]}}}
"""),
            _ => null,
        });
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<EksUpgradeBlockedException>(() =>
            new EksOperations(client).UpdateClusterVersionAsync(new EksClusterVersionUpdate { ClusterName = "c", KubernetesVersion = "1.33" }, default));
        Assert.Equal("InvalidStateException", ex.ErrorId);
        var insight = Assert.Single(ex.Insights);
        Assert.Equal(("i-api", EksInsightStatus.Error), (insight.Id, insight.Status));
        Assert.Contains("Recommendation: Update manifests to use flowcontrol.apiserver.k8s.io/v1", ex.Message);
        Assert.Contains("/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas/probes", ex.Message);
        Assert.Equal("kubectl", insight.Deprecations.Single().UserAgents.Single());
        var list = script.Requests.Single(r => r.Path == "/clusters/c/insights");
        Assert.Equal("1.33", (string?)list.Body!["filter"]!["kubernetesVersions"]![0]);
        Assert.Equal("UPGRADE_READINESS", (string?)list.Body!["filter"]!["categories"]![0]);
    }

    [Fact]
    public async Task Add_on_versions_for_a_minor_give_default_latest_installed_and_compatibility()
    {
        var script = Eks("1.32", new());
        using var client = script.Client();
        var versions = new List<EksAddonVersion>();
        await foreach (var v in new EksOperations(client).GetAddonVersionsAsync(new EksAddonVersionQuery { ClusterName = "c", KubernetesVersion = "1.33" }, default)) versions.Add(v);
        var coredns = versions.Single(v => v.AddonName == "coredns");
        Assert.Equal(("v1.11.4-eksbuild.2", "v1.11.4-eksbuild.10", "v1.11.3-eksbuild.1", true), (coredns.DefaultVersion, coredns.LatestVersion, coredns.InstalledVersion, coredns.IsInstalledCompatible));
        var cni = versions.Single(v => v.AddonName == "vpc-cni");
        Assert.Equal(("v1.19.2-eksbuild.1", "v1.18.0-eksbuild.1", false), (cni.DefaultVersion, cni.InstalledVersion, cni.IsInstalledCompatible));
        // One DescribeAddonVersions per installed add-on, by name and minor.
        Assert.All(script.Requests.Where(r => r.Path == "/addons/supported-versions"), r => Assert.Equal("1.33", r.Query["kubernetesVersion"]));
        Assert.Equal(2, script.Requests.Count(r => r.Path == "/addons/supported-versions"));
    }

    [Fact]
    public async Task The_default_add_on_version_is_resolved_and_an_unlisted_one_refused()
    {
        var script = Eks("1.32", new());
        using var client = script.Client();
        var ops = new EksOperations(client);
        Assert.Equal("v1.19.2-eksbuild.1", await ops.ResolveAddonVersionAsync("c", "vpc-cni", "1.33", null, default));
        Assert.Equal("v1.19.2-eksbuild.1", await ops.ResolveAddonVersionAsync("c", "vpc-cni", "1.33", "v1.19.2-eksbuild.1", default));
        Assert.Equal("EksAddonVersionIncompatible", (await Assert.ThrowsAsync<OpsException>(() => ops.ResolveAddonVersionAsync("c", "vpc-cni", "1.33", "v1.18.0-eksbuild.1", default))).ErrorId);
    }

    private static EksScripted Describing(params string[] updates)
    {
        var n = 0;
        return new EksScripted(_ => EksScripted.Json(updates[Math.Min(Interlocked.Increment(ref n) - 1, updates.Length - 1)]));
    }

    [Fact]
    public async Task A_wait_reports_progress_until_Successful()
    {
        var script = Describing(
            """{"update":{"id":"u-1","status":"InProgress","type":"VersionUpdate","params":[{"type":"Version","value":"1.33"}]}}""",
            """{"update":{"id":"u-1","status":"Successful","type":"VersionUpdate","params":[{"type":"Version","value":"1.33"}]}}""");
        using var client = script.Client();
        var progress = new List<WaitProgress>();
        var done = await new EksOperations(client).WaitUpdateAsync(new EksUpdate { ClusterName = "c", UpdateId = "u-1" }, TimeSpan.FromMinutes(1),
            new SyncProgress<WaitProgress>(progress.Add), default, new FastTime());
        Assert.Equal(EksUpdateStatus.Successful, done.Status);
        Assert.Equal("InProgress: control plane moving to 1.33", progress[0].Status);
        Assert.True(progress[^1].Completed);
        Assert.All(script.Requests, r => Assert.Equal("/clusters/c/updates/u-1", r.Path));
    }

    [Fact]
    public async Task A_failed_node_group_update_is_its_error_code_and_names_the_pods()
    {
        var script = Describing("""
{"update":{"id":"u-9","status":"Failed","type":"VersionUpdate","errors":[
            {"errorCode":"PodEvictionFailure","errorMessage":"Reached max retries while trying to evict pods from nodes in node group standard-nodes",
             "resourceIds":["real-estate-ai/api-service-7d9f-abcde"]}]}}
""");
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<EksUpdateFailedException>(() => new EksOperations(client).WaitUpdateAsync(
            new EksUpdate { ClusterName = "c", NodeGroupName = "standard-nodes", UpdateId = "u-9" }, TimeSpan.FromMinutes(1), null, default));
        Assert.Equal("PodEvictionFailure", ex.ErrorId);
        Assert.Contains("real-estate-ai/api-service-7d9f-abcde", ex.Message);
        Assert.Contains("-ForceEvictPastDisruptionBudget", ex.Message);
        Assert.Equal("standard-nodes", script.Requests.Single().Query["nodegroupName"]);
    }

    [Fact]
    public async Task A_cancelled_update_without_errors_is_EksUpdateCancelled()
    {
        var script = Describing("""{"update":{"id":"u-3","status":"Cancelled","type":"AddonUpdate"}}""");
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<EksUpdateFailedException>(() => new EksOperations(client).WaitUpdateAsync(
            new EksUpdate { ClusterName = "c", AddonName = "coredns", UpdateId = "u-3" }, TimeSpan.FromMinutes(1), null, default));
        Assert.Equal("EksUpdateCancelled", ex.ErrorId);
        Assert.Equal("coredns", script.Requests.Single().Query["addonName"]);
    }

    [Fact]
    public async Task Cancelling_a_wait_stops_only_the_wait()
    {
        var script = Describing("""{"update":{"id":"u-1","status":"InProgress","type":"VersionUpdate"}}""");
        using var client = script.Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new EksOperations(client).WaitUpdateAsync(
            new EksUpdate { ClusterName = "c", UpdateId = "u-1" }, TimeSpan.FromMinutes(5), null, cts.Token));
        Assert.DoesNotContain(script.Requests, r => r.Method != HttpMethod.Get);
    }

    private sealed class SyncProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;
        public SyncProgress(Action<T> report) => _report = report;
        public void Report(T value) => _report(value);
    }

    /// <summary>A clock whose delays end at once (the waits' intervals do not slow the tests).</summary>
    private sealed class FastTime : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.FromMilliseconds(1), period);
    }
}
