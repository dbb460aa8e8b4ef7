using k8s;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Engine.Tests.Kubernetes;

/// <summary>The sandbox's watch responses, read as a client library reads them: raw lines of JSON events.</summary>
public class KubeWatchTests : KubeSandboxTest
{
    private const string Deployments = "apis/apps/v1/namespaces/" + Ns + "/deployments";

    /// <summary>A bound on a step that should take a moment, so a watch that never answers fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private KubeWatch Watches => Sandbox.Host.Services.OfType<KubernetesService>().Single().Watches!;

    private HttpClient NewClient() => new() { BaseAddress = Sandbox.Host.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };

    private HttpRequestMessage WatchRequest(string query, bool asTable = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Deployments + "?watch=true&" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Sandbox.Secrets.KubeAdminToken);
        request.Headers.Accept.ParseAdd(asTable ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json");
        return request;
    }

    private async Task<string> CurrentResourceVersionAsync()
    {
        using var client = NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Deployments);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Sandbox.Secrets.KubeAdminToken);
        using var response = await client.SendAsync(request);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!;
    }

    private static async Task<List<JsonObject>> ReadEventsAsync(HttpResponseMessage response)
    {
        using var bounded = new CancellationTokenSource(Bound);
        var text = await response.Content.ReadAsStringAsync(bounded.Token);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
    }

    [Fact]
    public async Task A_quiet_watch_sends_its_headers_at_once_and_stops_when_the_client_goes()
    {
        var rv = await CurrentResourceVersionAsync();
        using var client = NewClient();
        using var bounded = new CancellationTokenSource(Bound);
        // Nothing changes after rv, so no event comes: the headers must come anyway, or a client cannot stop its watch.
        var response = await client.SendAsync(WatchRequest($"resourceVersion={rv}&timeoutSeconds=600"), HttpCompletionOption.ResponseHeadersRead, bounded.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, Watches.Open);

        response.Dispose();
        client.Dispose();
        await WaitUntilAsync(() => Task.FromResult(Watches.Open == 0));
    }

    [Fact]
    public async Task A_watch_ends_at_its_timeout_with_a_bookmark_when_bookmarks_are_allowed()
    {
        var rv = await CurrentResourceVersionAsync();
        using var client = NewClient();
        using var response = await client.SendAsync(WatchRequest($"resourceVersion={rv}&timeoutSeconds=1&allowWatchBookmarks=true"), HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadEventsAsync(response);
        var bookmark = Assert.Single(events);
        Assert.Equal("BOOKMARK", (string?)bookmark["type"]);
        Assert.Equal("Deployment", (string?)bookmark["object"]!["kind"]);
        Assert.Equal("apps/v1", (string?)bookmark["object"]!["apiVersion"]);
        Assert.True(long.Parse((string)bookmark["object"]!["metadata"]!["resourceVersion"]!) >= long.Parse(rv));
        Assert.Equal(0, Watches.Open);

        // Without allowWatchBookmarks, the same watch ends with no event at all.
        using var plain = await client.SendAsync(WatchRequest($"resourceVersion={rv}&timeoutSeconds=1"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Empty(await ReadEventsAsync(plain));
    }

    [Fact]
    public async Task Initial_events_end_with_a_bookmark_that_says_so()
    {
        using var client = NewClient();
        using var response = await client.SendAsync(WatchRequest("sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1"), HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadEventsAsync(response);
        var added = events.TakeWhile(e => (string?)e["type"] == "ADDED").ToList();
        Assert.Equal(6, added.Count);
        var end = events[added.Count];
        Assert.Equal("BOOKMARK", (string?)end["type"]);
        Assert.Equal("true", (string?)end["object"]!["metadata"]!["annotations"]![KubeWatch.InitialEventsEnd]);
    }

    [Fact]
    public async Task A_watch_that_asks_for_tables_gets_table_events_with_the_columns_first()
    {
        using var client = NewClient();
        using var response = await client.SendAsync(WatchRequest("resourceVersion=0&timeoutSeconds=1", asTable: true), HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadEventsAsync(response);
        Assert.Equal(6, events.Count);
        Assert.All(events, e => Assert.Equal("Table", (string?)e["object"]!["kind"]));
        Assert.All(events, e => Assert.Single((JsonArray)e["object"]!["rows"]!));
        Assert.NotNull(events[0]["object"]!["columnDefinitions"]);
        Assert.All(events.Skip(1), e => Assert.Null(e["object"]!["columnDefinitions"]));
    }

    [Fact]
    public async Task A_change_reaches_an_open_watch()
    {
        var rv = await CurrentResourceVersionAsync();
        using var client = NewClient();
        using var bounded = new CancellationTokenSource(Bound);
        using var response = await client.SendAsync(WatchRequest($"resourceVersion={rv}&fieldSelector=metadata.name%3Dfrontend&timeoutSeconds=600"), HttpCompletionOption.ResponseHeadersRead, bounded.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(bounded.Token));
        await Kube.Api.AppsV1.PatchNamespacedDeploymentAsync(new k8s.Models.V1Patch("""{"spec":{"replicas":3}}""", k8s.Models.V1Patch.PatchType.MergePatch), "frontend", Ns, cancellationToken: bounded.Token);
        var line = await reader.ReadLineAsync(bounded.Token);
        var modified = (JsonObject)JsonNode.Parse(line!)!;
        Assert.Equal("MODIFIED", (string?)modified["type"]);
        Assert.Equal("frontend", (string?)modified["object"]!["metadata"]!["name"]);
    }
}
