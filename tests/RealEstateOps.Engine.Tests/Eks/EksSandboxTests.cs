using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Eks;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Engine.Tests.Eks;

/// <summary>
/// The sandbox's EKS through plain signed HTTP (SigV4 for "eks", as any client sends it): the read side, updates moved by
/// its controllers on the sandbox clock (node groups replaced node by node honouring disruption budgets, the control plane,
/// add-ons), idempotent client request tokens, and upgrade insights. The tests of this class share one sandbox and run
/// one after another; each reads the state it starts from (the cluster's version, the node groups' nodes) instead of assuming it.
/// </summary>
public class EksSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const string Cluster = EksStore.ClusterName;
    private readonly SandboxFixture _sandbox;
    private readonly HttpClient _eks;

    public EksSandboxTests(SandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _sandbox.Host.Context.Clock.Speed = 300; // a sandbox minute every 200 ms: a node group update in seconds
        _eks = AwsHttp.CreateSignedClient(sandbox.Target("eks"), new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 1 });
    }

    public void Dispose() => _eks.Dispose();

    private KubernetesService Kube => _sandbox.Host.Services.OfType<KubernetesService>().Single();
    private EksService Eks => _sandbox.Host.Services.OfType<EksService>().Single();

    private async Task<(HttpStatusCode Status, JsonObject Body, string? ErrorType)> CallAsync(HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _eks.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? new JsonObject() : (JsonNode.Parse(text) as JsonObject ?? new JsonObject());
        return (response.StatusCode, json, response.Headers.TryGetValues("x-amzn-ErrorType", out var t) ? t.Single() : null);
    }

    private async Task<JsonObject> OkAsync(HttpMethod method, string path, JsonObject? body = null)
    {
        var (status, json, error) = await CallAsync(method, path, body);
        Assert.True(status == HttpStatusCode.OK, $"{method} {path}: {(int)status} {error} {json["message"]}");
        return json;
    }

    private async Task<JsonObject> WaitUpdateAsync(string id, string query = "", int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var update = (JsonObject)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/updates/{id}{query}"))["update"]!;
            if ((string?)update["status"] != "InProgress") return update;
            Assert.True(DateTime.UtcNow < deadline, $"update {id} still InProgress after {seconds} s");
            await Task.Delay(100);
        }
    }

    private List<JsonObject> Nodes(string nodegroup)
    {
        lock (Kube.Store!.Gate)
            return Kube.Store.Items(KubeResources.Nodes).Where(n => KubeStore.Labels(n).GetValueOrDefault(KubePlatform.NodeGroupLabel) == nodegroup).Select(n => (JsonObject)n.DeepClone()).ToList();
    }

    private static string Kubelet(JsonObject node) => (string)node["status"]!["nodeInfo"]!["kubeletVersion"]!;

    private async Task<string> ClusterVersionAsync() => (string)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}"))["cluster"]!["version"]!;

    /// <summary>Waits until every Deployment in the platform's namespace has all its replicas available, on nodes that exist.</summary>
    private async Task AssertWorkloadsAvailableAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            List<string> problems;
            lock (Kube.Store!.Gate)
            {
                var nodes = Kube.Store.Items(KubeResources.Nodes).Select(KubeStore.NameOf).ToHashSet();
                problems = Kube.Store.Items(KubeResources.Deployments, KubePlatform.Namespace)
                    .Where(d => (int?)d["status"]?["availableReplicas"] != (int?)d["spec"]!["replicas"])
                    .Select(d => "deployment " + KubeStore.NameOf(d)).ToList();
                problems.AddRange(Kube.Store.Items(KubeResources.Pods, KubePlatform.Namespace)
                    .Where(p => !KubeStore.IsTerminating(p) && !nodes.Contains((string?)p["spec"]?["nodeName"] ?? ""))
                    .Select(p => "pod " + KubeStore.NameOf(p) + " on no node"));
            }
            if (problems.Count == 0) return;
            Assert.True(DateTime.UtcNow < deadline, "not available: " + string.Join(", ", problems));
            await Task.Delay(100);
        }
    }

    private async Task WaitNoUpdateInProgressAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (Eks.Store.UpdatesState().Any(u => (string?)u!["status"] == "InProgress"))
        {
            Assert.True(DateTime.UtcNow < deadline, "updates of an earlier test are still in progress");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_read_side_describes_the_cluster_on_the_sandbox_Kubernetes_API_its_node_groups_and_add_ons()
    {
        var clusters = await OkAsync(HttpMethod.Get, "/clusters");
        Assert.Equal(new[] { Cluster }, clusters["clusters"]!.AsArray().Select(c => (string?)c));

        var cluster = (JsonObject)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}"))["cluster"]!;
        Assert.Equal(_sandbox.Host.TlsUrl.ToString().TrimEnd('/'), (string?)cluster["endpoint"]);
        var pem = Encoding.ASCII.GetString(Convert.FromBase64String((string)cluster["certificateAuthority"]!["data"]!));
        Assert.Equal(RealEstateOps.Sandbox.Security.SandboxCertificate.PemOf(_sandbox.Host.Certificate), pem);
        Assert.Equal("ACTIVE", (string?)cluster["status"]);
        Assert.StartsWith("arn:aws:eks:us-east-1:", (string?)cluster["arn"]);
        Assert.True((double)cluster["createdAt"]! > 1.5e9, "createdAt is epoch seconds");

        var groups = await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/node-groups");
        Assert.Equal(new[] { "gpu-nodes", "standard-nodes" }, groups["nodegroups"]!.AsArray().Select(g => (string?)g));
        var ng = (JsonObject)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/node-groups/standard-nodes"))["nodegroup"]!;
        Assert.Equal(EksReleases.MinorOf(Kubelet(Nodes("standard-nodes").First())), (string?)ng["version"]);
        Assert.Equal((3, 1), ((int)ng["scalingConfig"]!["desiredSize"]!, (int)ng["updateConfig"]!["maxUnavailable"]!));
        Assert.Equal("m5.xlarge", (string?)ng["instanceTypes"]![0]);

        // Paging: one add-on a page, four pages, then no nextToken.
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/addons?maxResults=1" + (token is null ? "" : "&nextToken=" + Uri.EscapeDataString(token)));
            names.AddRange(page["addons"]!.AsArray().Select(a => (string)a!));
            token = (string?)page["nextToken"];
        } while (token is not null);
        Assert.Equal(new[] { "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni" }, names);

        var versions = await OkAsync(HttpMethod.Get, "/addons/supported-versions?kubernetesVersion=1.33&addonName=kube-proxy");
        var kubeProxy = Assert.Single(versions["addons"]!.AsArray());
        Assert.All(kubeProxy!["addonVersions"]!.AsArray(), v => Assert.Equal("1.33", (string?)v!["compatibilities"]![0]!["clusterVersion"]));
        Assert.DoesNotContain(kubeProxy["addonVersions"]!.AsArray(), v => (string?)v!["addonVersion"] == EksAddonCatalog.Installed["kube-proxy"]);
    }

    [Theory]
    [InlineData("/clusters/no-such-cluster", 404, "ResourceNotFoundException", "No cluster found for name: no-such-cluster.")]
    [InlineData("/clusters/real-estate-ai-cluster/node-groups/no-such-group", 404, "ResourceNotFoundException", "No node group found for name: no-such-group.")]
    [InlineData("/clusters/real-estate-ai-cluster/updates/00000000-0000-0000-0000-000000000000", 404, "ResourceNotFoundException", "No update found for ID: 00000000-0000-0000-0000-000000000000")]
    [InlineData("/clusters?maxResults=0", 400, "InvalidParameterException", "maxResults must be between 1 and 100.")]
    [InlineData("/clusters?nextToken=bm90LWEtdG9rZW4=", 400, "InvalidParameterException", "The nextToken is not valid.")]
    public async Task Errors_come_in_EKSs_shape_with_status_header_and_message(string path, int status, string code, string message)
    {
        var (s, body, type) = await CallAsync(HttpMethod.Get, path);
        Assert.Equal((status, code, message), ((int)s, type, (string?)body["message"]));
    }

    [Fact]
    public async Task Requests_not_signed_for_eks_by_a_sandbox_key_are_refused_in_EKSs_shape()
    {
        using var unknown = AwsHttp.CreateSignedClient(_sandbox.Target("eks", accessKey: "AKIANOTASANDBOXKEY00", secret: _sandbox.Secrets.SecretAccessKey), new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 1 });
        using var refused = await unknown.GetAsync("clusters");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("UnrecognizedClientException", refused.Headers.GetValues("x-amzn-ErrorType").Single());

        using var wrong = AwsHttp.CreateSignedClient(_sandbox.Target("eks", secret: "not-the-secret-of-this-start-000000000000"), new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 1 });
        using var mismatch = await wrong.GetAsync("clusters");
        Assert.Equal("InvalidSignatureException", mismatch.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task A_node_group_update_replaces_every_node_at_the_new_release_and_the_workloads_stay_available()
    {
        await WaitNoUpdateInProgressAsync();
        var version = await ClusterVersionAsync();
        var before = Nodes("standard-nodes").Select(KubeStore.NameOf).ToList();
        var target = EksReleases.All.Last(r => r.Minor == version && !Nodes("standard-nodes").All(n => Kubelet(n) == r.KubeletVersion));
        var token = Guid.NewGuid().ToString();
        var body = new JsonObject { ["version"] = version, ["releaseVersion"] = target.ReleaseVersion, ["clientRequestToken"] = token };
        var started = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/standard-nodes/update-version", body))["update"]!;
        Assert.Equal(("InProgress", "VersionUpdate"), ((string?)started["status"], (string?)started["type"]));
        Assert.Contains(started["params"]!.AsArray(), p => (string?)p!["type"] == "ReleaseVersion" && (string?)p["value"] == target.ReleaseVersion);

        // The same token again: the same update, not a second one; another token while it runs: ResourceInUseException.
        var again = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/standard-nodes/update-version", (JsonObject)body.DeepClone()))["update"]!;
        Assert.Equal((string?)started["id"], (string?)again["id"]);
        var (status, _, type) = await CallAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/standard-nodes/update-version", new JsonObject { ["clientRequestToken"] = Guid.NewGuid().ToString() });
        Assert.Equal((HttpStatusCode.Conflict, "ResourceInUseException"), (status, type));
        var ids = (await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/updates?nodegroupName=standard-nodes"))["updateIds"]!.AsArray().Select(i => (string?)i).ToList();
        Assert.Single(ids, (string?)started["id"]);

        var done = await WaitUpdateAsync((string)started["id"]!, "?nodegroupName=standard-nodes");
        Assert.Equal("Successful", (string?)done["status"]);
        Assert.Empty(done["errors"]!.AsArray());
        var after = Nodes("standard-nodes");
        Assert.Equal(3, after.Count);
        Assert.All(after, n => Assert.Equal(target.KubeletVersion, Kubelet(n)));
        Assert.Empty(after.Select(KubeStore.NameOf).Intersect(before));
        Assert.All(after, n => Assert.Null(n["spec"]?["unschedulable"]));
        var ng = (JsonObject)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/node-groups/standard-nodes"))["nodegroup"]!;
        Assert.Equal(("ACTIVE", target.ReleaseVersion, version), ((string?)ng["status"], (string?)ng["releaseVersion"], (string?)ng["version"]));
        await AssertWorkloadsAvailableAsync();
        // DaemonSet pods followed the nodes: one aws-node and one kube-proxy pod on every node, none left on a terminated one.
        lock (Kube.Store!.Gate)
        {
            var nodes = Kube.Store.Items(KubeResources.Nodes).Select(KubeStore.NameOf).ToHashSet();
            foreach (var ds in new[] { "aws-node", "kube-proxy" })
            {
                var on = Kube.Store.Items(KubeResources.Pods, "kube-system").Where(p => KubeStore.NameOf(p).StartsWith(ds + "-", StringComparison.Ordinal) && !KubeStore.IsTerminating(p))
                    .Select(p => (string)p["spec"]!["nodeName"]!).Order().ToList();
                Assert.Equal(nodes.Order(), on);
            }
        }
    }

    [Fact]
    public async Task A_budget_that_still_blocks_after_the_eviction_timeout_fails_the_update_with_PodEvictionFailure_unless_forced()
    {
        await WaitNoUpdateInProgressAsync();
        var version = await ClusterVersionAsync();
        // llm-service runs 2 replicas on the one gpu node; a budget of minAvailable 2 never allows an eviction.
        lock (Kube.Store!.Gate)
            Kube.Store.Create(KubeResources.PodDisruptionBudgets, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "llm-service-strict", ["namespace"] = KubePlatform.Namespace },
                ["spec"] = new JsonObject { ["minAvailable"] = 2, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "llm-service" } } },
            });
        try
        {
            var oldNodes = Nodes("gpu-nodes").Where(n => Kubelet(n) != EksReleases.Latest(version).KubeletVersion).Select(KubeStore.NameOf).ToList();
            Assert.NotEmpty(oldNodes);
            var started = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/gpu-nodes/update-version", new JsonObject()))["update"]!;
            var failed = await WaitUpdateAsync((string)started["id"]!, "?nodegroupName=gpu-nodes");
            Assert.Equal("Failed", (string?)failed["status"]);
            var error = Assert.Single(failed["errors"]!.AsArray())!;
            Assert.Equal("PodEvictionFailure", (string?)error["errorCode"]);
            Assert.Contains("real-estate-ai/llm-service-strict", (string?)error["errorMessage"]);
            Assert.Contains("pod real-estate-ai/llm-service-", (string?)error["errorMessage"]);
            Assert.Equal(oldNodes, error["resourceIds"]!.AsArray().Select(r => (string?)r));
            // The old node still runs the protected pods, schedulable again; the group is ACTIVE, not UPDATING.
            Assert.Contains(Nodes("gpu-nodes"), n => KubeStore.NameOf(n) == oldNodes[0] && n["spec"]?["unschedulable"] is null);
            var ng = (JsonObject)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/node-groups/gpu-nodes"))["nodegroup"]!;
            Assert.Equal("ACTIVE", (string?)ng["status"]);

            var forced = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/gpu-nodes/update-version", new JsonObject { ["force"] = true }))["update"]!;
            Assert.Contains(forced["params"]!.AsArray(), p => (string?)p!["type"] == "Force" && (string?)p["value"] == "true");
            var done = await WaitUpdateAsync((string)forced["id"]!, "?nodegroupName=gpu-nodes");
            Assert.Equal("Successful", (string?)done["status"]);
            var after = Nodes("gpu-nodes");
            Assert.Single(after);
            Assert.All(after, n => Assert.Equal(EksReleases.Latest(version).KubeletVersion, Kubelet(n)));
            await AssertWorkloadsAvailableAsync();
        }
        finally
        {
            lock (Kube.Store!.Gate)
                if (Kube.Store.Get(KubeResources.PodDisruptionBudgets, KubePlatform.Namespace, "llm-service-strict") is { } pdb) Kube.Store.Remove(KubeResources.PodDisruptionBudgets, pdb);
        }
    }

    [Fact]
    public async Task A_control_plane_update_goes_one_minor_at_a_time_respects_blocking_insights_and_moves_the_API_servers_version()
    {
        await WaitNoUpdateInProgressAsync();
        var current = await ClusterVersionAsync();
        var next = EksReleases.Next(current);
        var skip = EksReleases.Next(next);
        var (status, body, type) = await CallAsync(HttpMethod.Post, $"/clusters/{Cluster}/updates", new JsonObject { ["version"] = skip });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterException", $"Unsupported Kubernetes minor version update from {current} to {skip}"), (status, type, (string?)body["message"]));

        // A client still calls an API the next minor removes: the insight turns ERROR, and the update is refused unless forced.
        using (var register = await _sandbox.Http.PostAsJsonAsync("_sandbox/eks/deprecated-apis", new { apiVersion = "resource.k8s.io/v1beta1", resource = "resourceclaims", stopServingVersion = next, replacedWith = "resource.k8s.io/v1" }))
            Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        using (var kube = new HttpClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sandbox.Host.BaseUrl, "apis/resource.k8s.io/v1beta1/resourceclaims"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _sandbox.Secrets.KubeAdminToken);
            request.Headers.UserAgent.ParseAdd("legacy-operator/0.9");
            using var response = await kube.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        var errors = (await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/insights", new JsonObject { ["filter"] = new JsonObject { ["statuses"] = new JsonArray("ERROR"), ["kubernetesVersions"] = new JsonArray(next) } }))["insights"]!.AsArray();
        var deprecated = Assert.Single(errors)!;
        Assert.Equal($"Deprecated APIs removed in Kubernetes v{next}", (string?)deprecated["name"]);
        var detail = (await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/insights/{(string)deprecated["id"]!}"))["insight"]!;
        var usage = Assert.Single(detail["categorySpecificSummary"]!["deprecationDetails"]!.AsArray())!;
        Assert.Equal(("/apis/resource.k8s.io/v1beta1/resourceclaims", "legacy-operator/0.9", 1),
            ((string?)usage["usage"], (string?)usage["clientStats"]![0]!["userAgent"], (int)usage["clientStats"]![0]!["numberOfRequestsLast30Days"]!));

        (status, body, type) = await CallAsync(HttpMethod.Post, $"/clusters/{Cluster}/updates", new JsonObject { ["version"] = next });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidStateException"), (status, type));
        Assert.Contains("Deprecated APIs removed", (string?)body["message"]);

        var token = Guid.NewGuid().ToString();
        var started = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/updates", new JsonObject { ["version"] = next, ["force"] = true, ["clientRequestToken"] = token }))["update"]!;
        var again = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/updates", new JsonObject { ["version"] = next, ["force"] = true, ["clientRequestToken"] = token }))["update"]!;
        Assert.Equal((string?)started["id"], (string?)again["id"]);
        Assert.Equal("UPDATING", (string?)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}"))["cluster"]!["status"]);
        (status, _, type) = await CallAsync(HttpMethod.Post, $"/clusters/{Cluster}/addons/vpc-cni/update", new JsonObject { ["addonVersion"] = EksAddonCatalog.Installed["vpc-cni"] });
        Assert.Equal((HttpStatusCode.Conflict, "ResourceInUseException"), (status, type));

        var done = await WaitUpdateAsync((string)started["id"]!);
        Assert.Equal("Successful", (string?)done["status"]);
        Assert.Equal(next, await ClusterVersionAsync());
        using var anonymous = new HttpClient();
        var serverVersion = await anonymous.GetFromJsonAsync<JsonObject>(new Uri(_sandbox.Host.BaseUrl, "version"));
        Assert.Equal(EksReleases.MinorNumber(next).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)serverVersion!["minor"]);
        Assert.StartsWith("v" + next + ".", (string?)serverVersion["gitVersion"]);
        // The node groups now trail the control plane: the next minor's kubelet-skew insight says so.
        var skew = (await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/insights", new JsonObject())).AsObject()["insights"]!.AsArray().Single(i => (string?)i!["name"] == "Kubelet version skew")!;
        Assert.Equal((EksReleases.Next(next), "WARNING"), ((string?)skew["kubernetesVersion"], (string?)skew["insightStatus"]!["status"]));
    }

    [Fact]
    public async Task An_add_on_update_rolls_its_DaemonSet_and_resolveConflicts_NONE_refuses_to_overwrite_a_changed_image()
    {
        await WaitNoUpdateInProgressAsync();
        var info = EksAddonCatalog.Find("vpc-cni")!;
        var cluster = await ClusterVersionAsync();
        var installed = (string)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/addons/vpc-cni"))["addon"]!["addonVersion"]!;
        var target = info.CompatibleWith(cluster).First(v => v.Version != installed).Version;

        // Someone changed aws-node's image outside EKS.
        lock (Kube.Store!.Gate)
        {
            var ds = Kube.Store.Get(KubeResources.DaemonSets, "kube-system", "aws-node")!;
            Kube.Store.Update(KubeResources.DaemonSets, ds, o => o["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = info.ImageRepository + ":v1.19.0-patched");
        }
        var refused = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/addons/vpc-cni/update", new JsonObject { ["addonVersion"] = target, ["resolveConflicts"] = "NONE" }))["update"]!;
        var failed = await WaitUpdateAsync((string)refused["id"]!, "?addonName=vpc-cni");
        Assert.Equal("Failed", (string?)failed["status"]);
        Assert.Equal("ConfigurationConflict", (string?)failed["errors"]![0]!["errorCode"]);
        Assert.Equal(installed, (string?)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/addons/vpc-cni"))["addon"]!["addonVersion"]);

        var started = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/addons/vpc-cni/update", new JsonObject { ["addonVersion"] = target, ["resolveConflicts"] = "OVERWRITE" }))["update"]!;
        Assert.Equal("UPDATING", (string?)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/addons/vpc-cni"))["addon"]!["status"]);
        var done = await WaitUpdateAsync((string)started["id"]!, "?addonName=vpc-cni");
        Assert.Equal("Successful", (string?)done["status"]);
        var addon = (JsonObject)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/addons/vpc-cni"))["addon"]!;
        Assert.Equal((target, "ACTIVE"), ((string?)addon["addonVersion"], (string?)addon["status"]));
        lock (Kube.Store!.Gate)
        {
            var pods = Kube.Store.Items(KubeResources.Pods, "kube-system").Where(p => KubeStore.NameOf(p).StartsWith("aws-node-", StringComparison.Ordinal)).ToList();
            Assert.Equal(Kube.Store.Count(KubeResources.Nodes), pods.Count);
            Assert.All(pods, p => Assert.Equal(info.Image(target), (string?)p["spec"]!["containers"]![0]!["image"]));
            Assert.All(pods, p => Assert.True(KubeController.PodReady(p)));
        }

        var (status, body, type) = await CallAsync(HttpMethod.Post, $"/clusters/{Cluster}/addons/vpc-cni/update", new JsonObject { ["addonVersion"] = "v9.9.9-eksbuild.1" });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterException"), (status, type));
        Assert.Contains("not supported", (string?)body["message"]);
    }

    [Fact]
    public async Task Update_config_changes_the_update_config_and_scales_the_group_through_its_nodes()
    {
        await WaitNoUpdateInProgressAsync();
        var (status, body, type) = await CallAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/standard-nodes/update-config",
            new JsonObject { ["scalingConfig"] = new JsonObject { ["minSize"] = 5, ["maxSize"] = 4 } });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterException", "Minimum capacity 5 can't be greater than maximum capacity 4."), (status, type, (string?)body["message"]));

        var up = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/standard-nodes/update-config",
            new JsonObject { ["scalingConfig"] = new JsonObject { ["desiredSize"] = 4 }, ["updateConfig"] = new JsonObject { ["maxUnavailable"] = 2 } }))["update"]!;
        Assert.Equal("ConfigUpdate", (string?)up["type"]);
        Assert.Equal(new[] { "DesiredSize=4", "MaxUnavailable=2" }, up["params"]!.AsArray().Select(p => (string?)p!["type"] + "=" + (string?)p["value"]));
        Assert.Equal("Successful", (string?)(await WaitUpdateAsync((string)up["id"]!, "?nodegroupName=standard-nodes"))["status"]);
        var ng = (JsonObject)(await OkAsync(HttpMethod.Get, $"/clusters/{Cluster}/node-groups/standard-nodes"))["nodegroup"]!;
        Assert.Equal((4, 2), ((int)ng["scalingConfig"]!["desiredSize"]!, (int)ng["updateConfig"]!["maxUnavailable"]!));
        var four = Nodes("standard-nodes");
        Assert.Equal(4, four.Count);
        Assert.Single(four.Select(Kubelet).Distinct());

        var down = (JsonObject)(await OkAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/standard-nodes/update-config",
            new JsonObject { ["scalingConfig"] = new JsonObject { ["desiredSize"] = 3 }, ["updateConfig"] = new JsonObject { ["maxUnavailable"] = 1 } }))["update"]!;
        Assert.Equal("Successful", (string?)(await WaitUpdateAsync((string)down["id"]!, "?nodegroupName=standard-nodes"))["status"]);
        Assert.Equal(3, Nodes("standard-nodes").Count);
        await AssertWorkloadsAvailableAsync();
    }

    [Fact]
    public async Task A_node_group_never_runs_ahead_of_the_control_plane()
    {
        var current = await ClusterVersionAsync();
        var (status, body, type) = await CallAsync(HttpMethod.Post, $"/clusters/{Cluster}/node-groups/standard-nodes/update-version", new JsonObject { ["version"] = EksReleases.Next(current) });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterException"), (status, type));
        Assert.Contains($"control plane version {current}", (string?)body["message"]);
    }
}
