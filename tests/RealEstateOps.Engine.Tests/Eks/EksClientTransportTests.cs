using System.Net;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Engine.Tests.Eks;

/// <summary>The EKS client's one funnel against a scripted endpoint: error shapes, throttling, retries of updates, paging loops, size cap, timeouts, cancellation.</summary>
public class EksClientTransportTests
{
    private const string Cluster = """{"cluster":{"name":"real-estate-ai-cluster","status":"ACTIVE","version":"1.32","platformVersion":"eks.8","endpoint":"https://ABC.gr7.us-east-1.eks.amazonaws.com","createdAt":1700000000.5,"health":{"issues":[]}}}""";

    [Fact]
    public async Task DescribeCluster_reads_the_shape_and_the_path()
    {
        var script = new EksScripted(_ => EksScripted.Json(Cluster));
        using var client = script.Client();
        var c = await client.DescribeClusterAsync("real-estate-ai-cluster", default);
        Assert.Equal(("real-estate-ai-cluster", "ACTIVE", "1.32", "eks.8"), (c.Name, c.Status, c.Version, c.PlatformVersion));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000500), c.CreatedAt);
        var r = Assert.Single(script.Requests);
        Assert.Equal((HttpMethod.Get, "/clusters/real-estate-ai-cluster"), (r.Method, r.Path));
    }

    [Theory]
    [InlineData("header")]
    [InlineData("__type")]
    [InlineData("code")]
    public async Task EKS_error_codes_become_the_error_id_whichever_way_they_come(string shape)
    {
        var script = new EksScripted(_ =>
        {
            if (shape == "header") return EksScripted.Error(HttpStatusCode.NotFound, "ResourceNotFoundException", "No cluster found for name: nope.");
            var body = new JsonObject { ["message"] = "No cluster found for name: nope." };
            body[shape] = shape == "__type" ? "com.amazonaws.eks#ResourceNotFoundException" : "ResourceNotFoundException";
            return EksScripted.Json(body.ToJsonString(), HttpStatusCode.NotFound);
        });
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.DescribeClusterAsync("nope", default));
        Assert.Equal("ResourceNotFoundException", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Contains("No cluster found for name: nope", ex.Message);
        Assert.Single(script.Requests); // a 404 is an answer, not retried
    }

    [Fact]
    public async Task Throttling_is_retried_and_then_answered()
    {
        // EKS's ThrottlingException is HTTP 429 (botocore's model), the code in x-amzn-ErrorType.
        var n = 0;
        var script = new EksScripted(_ => Interlocked.Increment(ref n) <= 2
            ? EksScripted.Error(HttpStatusCode.TooManyRequests, "ThrottlingException", "Rate exceeded")
            : EksScripted.Json(Cluster));
        using var client = script.Client(attempts: 4);
        Assert.Equal("1.32", (await client.DescribeClusterAsync("real-estate-ai-cluster", default)).Version);
        Assert.Equal(3, script.Requests.Count);
    }

    [Fact]
    public async Task Throttling_that_never_ends_is_the_throttling_code()
    {
        var script = new EksScripted(_ => EksScripted.Error(HttpStatusCode.TooManyRequests, "ThrottlingException", "Rate exceeded"));
        using var client = script.Client(attempts: 3);
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.ListClustersAsync(null, null, default));
        Assert.Equal("ThrottlingException", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.LimitsExceeded, ex.Category);
        Assert.Equal(3, script.Requests.Count);
    }

    [Fact]
    public async Task A_retried_update_sends_the_same_clientRequestToken_every_time()
    {
        var n = 0;
        var script = new EksScripted(r => Interlocked.Increment(ref n) == 1
            ? EksScripted.Error(HttpStatusCode.InternalServerError, "ServerException", "try again")
            : EksScripted.Json("""{"update":{"id":"u-1","status":"InProgress","type":"VersionUpdate","params":[{"type":"Version","value":"1.33"}]}}"""));
        using var client = script.Client();
        var request = new EksNodeGroupVersionUpdate { ClusterName = "c", NodeGroupName = "standard-nodes", KubernetesVersion = "1.33", ForceEvictPastDisruptionBudget = true };
        var update = await client.UpdateNodegroupVersionAsync(request, default);
        Assert.Equal(("u-1", EksUpdateStatus.InProgress, "1.33", "standard-nodes"), (update.UpdateId, update.Status, update.TargetVersion, update.NodeGroupName));
        Assert.Equal(2, script.Requests.Count); // a 5xx on a POST is retried: the token makes it safe
        Assert.All(script.Requests, r =>
        {
            Assert.Equal((HttpMethod.Post, "/clusters/c/node-groups/standard-nodes/update-version"), (r.Method, r.Path));
            Assert.Equal(request.ClientRequestToken, (string?)r.Body!["clientRequestToken"]);
            Assert.Equal("1.33", (string?)r.Body["version"]);
            Assert.True((bool)r.Body["force"]!);
        });
        Assert.True(Guid.TryParse(request.ClientRequestToken, out _));
        Assert.NotEqual(request.ClientRequestToken, new EksNodeGroupVersionUpdate { ClusterName = "c", NodeGroupName = "g" }.ClientRequestToken);
    }

    [Fact]
    public async Task UpdateAddon_and_UpdateClusterVersion_send_EKS_field_names()
    {
        var script = new EksScripted(_ => EksScripted.Json("""{"update":{"id":"u-2","status":"InProgress","type":"AddonUpdate"}}"""));
        using var client = script.Client();
        var addon = await client.UpdateAddonAsync(new EksAddonUpdate { ClusterName = "c", AddonName = "vpc-cni", AddonVersion = "v1.19.2-eksbuild.1", ResolveConflicts = EksResolveConflicts.Overwrite }, default);
        await client.UpdateClusterVersionAsync(new EksClusterVersionUpdate { ClusterName = "c", KubernetesVersion = "1.33" }, default);
        Assert.Equal(("vpc-cni", EksUpdateScope.Addon), (addon.AddonName, addon.Scope));
        Assert.Equal("/clusters/c/addons/vpc-cni/update", script.Requests[0].Path);
        Assert.Equal("OVERWRITE", (string?)script.Requests[0].Body!["resolveConflicts"]);
        Assert.Equal("v1.19.2-eksbuild.1", (string?)script.Requests[0].Body!["addonVersion"]);
        Assert.Equal("/clusters/c/updates", script.Requests[1].Path);
        Assert.Equal("1.33", (string?)script.Requests[1].Body!["version"]);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_EksUnreachable()
    {
        using var client = new EksClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/"), Timeout = TimeSpan.FromSeconds(10) }, ownsHttp: true);
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.ListClustersAsync(null, null, default));
        Assert.Equal("EksUnreachable", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.ConnectionError, ex.Category);
    }

    [Fact]
    public async Task No_answer_in_time_is_EksTimeout_and_the_callers_cancellation_stays_a_cancellation()
    {
        var hang = new HangingHandler();
        using var client = new EksClient(new HttpClient(hang) { BaseAddress = new Uri("http://eks.test/"), Timeout = TimeSpan.FromMilliseconds(200) }, ownsHttp: true);
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.DescribeClusterAsync("c", default));
        Assert.Equal("EksTimeout", ex.ErrorId);

        using var patient = new EksClient(new HttpClient(new HangingHandler()) { BaseAddress = new Uri("http://eks.test/"), Timeout = TimeSpan.FromMinutes(5) }, ownsHttp: true);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.DescribeClusterAsync("c", cts.Token));
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public async Task An_answer_beyond_the_cap_is_EksResponseTooLarge()
    {
        var script = new EksScripted(_ => EksScripted.Json("{\"clusters\":[" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"\"cluster-{i}\"")) + "]}"));
        using var client = script.Client(maxBytes: 1024);
        Assert.Equal("EksResponseTooLarge", (await Assert.ThrowsAsync<OpsException>(() => client.ListClustersAsync(null, null, default))).ErrorId);
    }

    [Fact]
    public async Task A_success_that_is_not_JSON_is_EksResponseInvalid()
    {
        var script = new EksScripted(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy login</html>") });
        using var client = script.Client();
        Assert.Equal("EksResponseInvalid", (await Assert.ThrowsAsync<OpsException>(() => client.DescribeClusterAsync("c", default))).ErrorId);
    }

    [Fact]
    public async Task A_nextToken_that_comes_back_is_EksPagingLoop()
    {
        var script = new EksScripted(r => EksScripted.Json($$"""{"nodegroups":["g-{{r.Query.GetValueOrDefault("nextToken", "0")}}"],"nextToken":"{{(r.Query.GetValueOrDefault("nextToken") == "a" ? "b" : "a")}}"}"""));
        using var client = script.Client();
        var ops = new EksOperations(client);
        var names = new List<string>();
        var ex = await Assert.ThrowsAsync<OpsException>(async () => { await foreach (var n in ops.ListNodeGroupNamesAsync("c", null, default)) names.Add(n); });
        Assert.Equal("EksPagingLoop", ex.ErrorId);
        Assert.Equal(3, script.Requests.Count); // first page, "a", "b" — then "a" again is the loop
        Assert.Equal(new[] { "g-0", "g-a", "g-b" }, names);
    }

    [Fact]
    public async Task The_next_page_is_asked_for_only_when_the_consumer_wants_more()
    {
        var script = new EksScripted(r => EksScripted.Json(r.Query.ContainsKey("nextToken")
            ? """{"clusters":["c3"]}"""
            : """{"clusters":["c1","c2"],"nextToken":"t2"}"""));
        using var client = script.Client();
        var ops = new EksOperations(client);
        await foreach (var _ in ops.ListClusterNamesAsync(null, default)) break;
        Assert.Single(script.Requests);
        var all = new List<string>();
        await foreach (var n in ops.ListClusterNamesAsync(null, default)) all.Add(n);
        Assert.Equal(new[] { "c1", "c2", "c3" }, all);
    }

    [Theory]
    [InlineData("ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.eks/", "ResourceNotFoundException")]
    [InlineData("com.amazonaws.eks#InvalidStateException", "InvalidStateException")]
    [InlineData("ResourceInUseException", "ResourceInUseException")]
    [InlineData("  ", null)]
    public void Error_codes_are_read_from_every_shape(string raw, string? code) => Assert.Equal(code, EksClient.ErrorCode(raw));
}
