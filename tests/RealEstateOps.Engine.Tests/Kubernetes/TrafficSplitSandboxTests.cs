using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Kubernetes;

/// <summary>
/// The sandbox's SMI TrafficSplit: served in v1alpha2, v1alpha3 and v1alpha4 (discovery lists all, v1alpha4 preferred),
/// one object whatever version it was written in, returned in the version asked for; the schema's checks as 422 Invalid.
/// </summary>
public class TrafficSplitSandboxTests : IClassFixture<SandboxFixture>
{
    private const string Ns = "real-estate-ai";
    private readonly SandboxFixture _sandbox;
    public TrafficSplitSandboxTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var http = new HttpClient { BaseAddress = _sandbox.Host.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sandbox.Secrets.KubeAdminToken);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!);
    }

    private static JsonObject Split(string version, string name, JsonNode? backends, string? service = "web") => new()
    {
        ["apiVersion"] = "split.smi-spec.io/" + version, ["kind"] = "TrafficSplit",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["service"] = service, ["backends"] = backends },
    };

    private static JsonArray Backends(JsonNode stable, JsonNode canary) => new(
        new JsonObject { ["service"] = "web-stable", ["weight"] = stable },
        new JsonObject { ["service"] = "web-canary", ["weight"] = canary });

    [Fact]
    public async Task Discovery_lists_every_version_with_the_newest_preferred_and_keeps_the_other_groups()
    {
        var (status, group) = await SendAsync(HttpMethod.Get, "/apis/split.smi-spec.io");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { "v1alpha4", "v1alpha3", "v1alpha2" }, group["versions"]!.AsArray().Select(v => (string?)v!["version"]).ToArray());
        Assert.Equal("split.smi-spec.io/v1alpha4", (string?)group["preferredVersion"]!["groupVersion"]);
        var (_, list) = await SendAsync(HttpMethod.Get, "/apis");
        var groups = list["groups"]!.AsArray().ToDictionary(g => (string)g!["name"]!, g => (string?)g!["preferredVersion"]!["version"]);
        Assert.Equal("v1alpha4", groups["split.smi-spec.io"]);
        Assert.Equal("v1", groups["monitoring.coreos.com"]);
        Assert.Equal("v1beta1", groups["metrics.k8s.io"]);
        foreach (var version in new[] { "v1alpha2", "v1alpha3", "v1alpha4" })
        {
            var (s, resources) = await SendAsync(HttpMethod.Get, "/apis/split.smi-spec.io/" + version);
            Assert.Equal(HttpStatusCode.OK, s);
            Assert.Equal("TrafficSplit", (string?)resources["resources"]![0]!["kind"]);
        }
    }

    [Theory]
    [InlineData("v1alpha2")]
    [InlineData("v1alpha3")]
    [InlineData("v1alpha4")]
    public async Task One_object_whatever_version_it_is_written_in_returned_in_the_version_asked_for(string written)
    {
        var name = "split-" + written;
        var (created, body) = await SendAsync(HttpMethod.Post, $"/apis/split.smi-spec.io/{written}/namespaces/{Ns}/trafficsplits", Split(written, name, Backends(90, 10)));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("split.smi-spec.io/" + written, (string?)body["apiVersion"]);
        foreach (var asked in new[] { "v1alpha2", "v1alpha3", "v1alpha4" })
        {
            var (status, got) = await SendAsync(HttpMethod.Get, $"/apis/split.smi-spec.io/{asked}/namespaces/{Ns}/trafficsplits/{name}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("split.smi-spec.io/" + asked, (string?)got["apiVersion"]);
            Assert.Equal(10, (int)got["spec"]!["backends"]![1]!["weight"]!);
            var (_, list) = await SendAsync(HttpMethod.Get, $"/apis/split.smi-spec.io/{asked}/namespaces/{Ns}/trafficsplits");
            var item = list["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == name)!;
            Assert.Equal("split.smi-spec.io/" + asked, (string?)item["apiVersion"]);
        }
        // Written again in another version: the same object (one store key), not a second one.
        var other = written == "v1alpha4" ? "v1alpha2" : "v1alpha4";
        var (conflict, _) = await SendAsync(HttpMethod.Post, $"/apis/split.smi-spec.io/{other}/namespaces/{Ns}/trafficsplits", Split(other, name, Backends(50, 50)));
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        var (deleted, _) = await SendAsync(HttpMethod.Delete, $"/apis/split.smi-spec.io/{other}/namespaces/{Ns}/trafficsplits/{name}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        var (gone, _) = await SendAsync(HttpMethod.Get, $"/apis/split.smi-spec.io/{written}/namespaces/{Ns}/trafficsplits/{name}");
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    public static IEnumerable<object?[]> InvalidSplits()
    {
        yield return new object?[] { "negative", Backends(110, -10), "web", "spec.backends[1].weight" };
        yield return new object?[] { "fraction", Backends(90, 9.5), "web", "spec.backends[1].weight" };
        yield return new object?[] { "string", Backends(90, "10"), "web", "spec.backends[1].weight" };
        yield return new object?[] { "no-backends", new JsonArray(), "web", "spec.backends" };
        yield return new object?[] { "no-root", Backends(90, 10), null, "spec.service" };
        yield return new object?[] { "no-backend-service", new JsonArray(new JsonObject { ["weight"] = 100 }), "web", "spec.backends[0].service" };
    }

    [Theory]
    [MemberData(nameof(InvalidSplits))]
    public async Task An_invalid_split_is_refused_with_422_Invalid_naming_the_field(string name, JsonArray backends, string? service, string field)
    {
        foreach (var version in new[] { "v1alpha2", "v1alpha4" })
        {
            var (status, body) = await SendAsync(HttpMethod.Post, $"/apis/split.smi-spec.io/{version}/namespaces/{Ns}/trafficsplits", Split(version, name, backends.DeepClone(), service));
            Assert.Equal((HttpStatusCode)422, status);
            Assert.Equal("Invalid", (string?)body["reason"]);
            Assert.Equal("Status", (string?)body["kind"]);
            Assert.Contains(body["details"]!["causes"]!.AsArray(), c => (string?)c!["field"] == field);
            Assert.StartsWith($"TrafficSplit.split.smi-spec.io \"{name}\" is invalid", (string?)body["message"]);
        }
        var (missing, _) = await SendAsync(HttpMethod.Get, $"/apis/split.smi-spec.io/v1alpha4/namespaces/{Ns}/trafficsplits/{name}");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task An_update_that_breaks_the_schema_is_refused_and_the_object_stays()
    {
        var (created, _) = await SendAsync(HttpMethod.Post, $"/apis/split.smi-spec.io/v1alpha3/namespaces/{Ns}/trafficsplits", Split("v1alpha3", "patched", Backends(100, 0)));
        Assert.Equal(HttpStatusCode.Created, created);
        using var http = new HttpClient { BaseAddress = _sandbox.Host.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sandbox.Secrets.KubeAdminToken);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/apis/split.smi-spec.io/v1alpha3/namespaces/{Ns}/trafficsplits/patched")
        { Content = new StringContent("{\"spec\":{\"backends\":[{\"service\":\"web-stable\",\"weight\":-1}]}}", Encoding.UTF8, "application/merge-patch+json") };
        using var response = await http.SendAsync(patch);
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var (_, got) = await SendAsync(HttpMethod.Get, $"/apis/split.smi-spec.io/v1alpha3/namespaces/{Ns}/trafficsplits/patched");
        Assert.Equal(2, got["spec"]!["backends"]!.AsArray().Count);
    }
}
