using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox;
using RealEstateOps.Sandbox.ArgoCd;

namespace RealEstateOps.Engine.Tests.ArgoCd;

/// <summary>A sandbox whose clock runs 100 times faster: a sync's two seconds and a Deployment's ten-minute progress deadline pass quickly.</summary>
public sealed class ArgoSandboxFixture : SandboxFixture
{
    protected override void Configure(SandboxOptions options) => options.Speed = 100;

    public ArgoCdService Argo => Host.Services.OfType<ArgoCdService>().Single();

    /// <summary>A client of the Argo CD API with the sandbox's token (or <paramref name="token"/>; none when empty).</summary>
    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = Host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        token ??= Secrets.ArgoCdToken;
        if (token.Length > 0) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

internal static class ArgoApi
{
    public static async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpClient http, HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text) as JsonObject ?? new JsonObject());
    }

    public static async Task<JsonObject> AppAsync(HttpClient http, string refresh = "")
    {
        var (status, body) = await SendAsync(http, HttpMethod.Get, "api/v1/applications/real-estate-ai" + (refresh.Length > 0 ? "?refresh=" + refresh : ""));
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> probe, int seconds = 60) =>
        await MonitoringSandboxFixture.EventuallyAsync(probe, TimeSpan.FromSeconds(seconds));

    /// <summary>git with an environment of its own (no system or user configuration), in <paramref name="dir"/>.</summary>
    public static async Task<string> GitAsync(string dir, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["HOME"] = dir, ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_AUTHOR_NAME"] = "Test Releaser", ["GIT_AUTHOR_EMAIL"] = "test@example.com", ["GIT_COMMITTER_NAME"] = "Test Releaser", ["GIT_COMMITTER_EMAIL"] = "test@example.com",
        };
        var result = await ProcessRunner.RunAsync("git", args, env, dir);
        Assert.True(result.ExitCode == 0, "git " + string.Join(' ', args) + ": " + result.StdErr);
        return result.StdOut;
    }

    /// <summary>A release pushed as a team pushes one: clone, change one image, commit, tag, push main and the tag.</summary>
    public static async Task<string> PushReleaseAsync(string repository, string scratch, string tag, string deploymentFile, string image)
    {
        await GitAsync(scratch, "clone", "--quiet", repository, "work");
        var work = Path.Combine(scratch, "work");
        var file = Path.Combine(work, "k8s", deploymentFile);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        manifest["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        await File.WriteAllTextAsync(file, manifest.ToJsonString());
        await GitAsync(work, "commit", "--quiet", "-am", "Release " + tag);
        await GitAsync(work, "tag", "-a", tag, "-m", "Release " + tag);
        await GitAsync(work, "push", "--quiet", "origin", "main", tag);
        return (await GitAsync(work, "rev-parse", "HEAD")).Trim();
    }
}

/// <summary>The Argo CD sandbox at start, read only: the application synced and healthy with its history, revision metadata with the tags, the resource tree, errors and authentication as argocd-server answers them.</summary>
public sealed class ArgoCdSandboxTests : IClassFixture<ArgoSandboxFixture>, IDisposable
{
    private readonly ArgoSandboxFixture _sandbox;
    private readonly HttpClient _http;

    public ArgoCdSandboxTests(ArgoSandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _http = sandbox.Client();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_platform_starts_synced_and_healthy_at_v1_1_0_with_its_history()
    {
        var app = await ArgoApi.AppAsync(_http, "normal");
        Assert.Equal("real-estate-ai", (string?)app["metadata"]!["name"]);
        Assert.Equal("argocd", (string?)app["metadata"]!["namespace"]);
        Assert.Equal(_sandbox.Argo.Repository.Folder, (string?)app["spec"]!["source"]!["repoURL"]);
        Assert.Equal("main", (string?)app["spec"]!["source"]!["targetRevision"]);
        Assert.Equal("https://kubernetes.default.svc", (string?)app["spec"]!["destination"]!["server"]);
        Assert.False((bool)app["spec"]!["syncPolicy"]!["automated"]!["selfHeal"]!);
        Assert.Equal("Synced", (string?)app["status"]!["sync"]!["status"]);
        Assert.Equal("Healthy", (string?)app["status"]!["health"]!["status"]);
        var history = app["status"]!["history"]!.AsArray();
        Assert.Equal(new long[] { 0, 1 }, history.Select(h => (long)h!["id"]!));
        var current = await _sandbox.Argo.Repository.ResolveAsync("v1.1.0");
        Assert.Equal(current, (string?)history[1]!["revision"]);
        Assert.Equal(current, (string?)app["status"]!["sync"]!["revision"]);
        Assert.Equal(await _sandbox.Argo.Repository.ResolveAsync("v1.0.0"), (string?)history[0]!["revision"]);
        Assert.True((bool)history[1]!["initiatedBy"]!["automated"]!);
        Assert.Equal("admin", (string?)history[0]!["initiatedBy"]!["username"]);
        Assert.All(history, h => Assert.NotNull(h!["deployedAt"]));
        var resources = app["status"]!["resources"]!.AsArray();
        Assert.Equal(12, resources.Count); // six Deployments and their Services
        Assert.All(resources, r => { Assert.Equal("Synced", (string?)r!["status"]); Assert.Null(r["health"]); });
        Assert.Contains(resources, r => (string?)r!["group"] == "apps" && (string?)r["kind"] == "Deployment" && (string?)r["name"] == "api-service");
        Assert.Contains("real-estate-ai/api-service:1.8.2", app["status"]!["summary"]!["images"]!.AsArray().Select(i => (string?)i));
        Assert.Equal("Succeeded", (string?)app["status"]!["operationState"]!["phase"]);
        Assert.Null(app["operation"]);
    }

    [Fact]
    public async Task Revision_metadata_names_the_tag_of_each_history_entry()
    {
        var app = await ArgoApi.AppAsync(_http);
        var history = app["status"]!["history"]!.AsArray();
        var (status, meta) = await ArgoApi.SendAsync(_http, HttpMethod.Get, $"api/v1/applications/real-estate-ai/revisions/{(string?)history[0]!["revision"]}/metadata");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { "v1.0.0" }, meta["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("Release v1.0.0", (string?)meta["message"]);
        Assert.StartsWith("Platform Release Bot <", (string?)meta["author"]);
        (_, meta) = await ArgoApi.SendAsync(_http, HttpMethod.Get, $"api/v1/applications/real-estate-ai/revisions/{(string?)history[1]!["revision"]}/metadata");
        Assert.Equal(new[] { "v1.1.0" }, meta["tags"]!.AsArray().Select(t => (string?)t));
    }

    [Fact]
    public async Task The_resource_tree_has_replica_sets_and_pods_under_each_deployment()
    {
        var (status, tree) = await ArgoApi.SendAsync(_http, HttpMethod.Get, "api/v1/applications/real-estate-ai/resource-tree");
        Assert.Equal(HttpStatusCode.OK, status);
        var nodes = tree["nodes"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var deployment = nodes.Single(n => (string?)n["kind"] == "Deployment" && (string?)n["name"] == "api-service");
        var rs = nodes.Single(n => (string?)n["kind"] == "ReplicaSet" && (string?)n["parentRefs"]?[0]?["uid"] == (string?)deployment["uid"]);
        var pods = nodes.Where(n => (string?)n["kind"] == "Pod" && (string?)n["parentRefs"]?[0]?["uid"] == (string?)rs["uid"]).ToList();
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Equal("Healthy", (string?)p["health"]!["status"]);
            Assert.Contains("real-estate-ai/api-service:1.8.2", p["images"]!.AsArray().Select(i => (string?)i));
        });
        Assert.Equal("Healthy", (string?)deployment["health"]!["status"]);
    }

    [Fact]
    public async Task Managed_resources_give_each_manifest_with_its_live_object()
    {
        var (status, body) = await ArgoApi.SendAsync(_http, HttpMethod.Get, "api/v1/applications/real-estate-ai/managed-resources");
        Assert.Equal(HttpStatusCode.OK, status);
        var items = body["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(12, items.Count);
        var api = items.Single(i => (string?)i["kind"] == "Deployment" && (string?)i["name"] == "api-service");
        Assert.Equal("apps", (string?)api["group"]);
        Assert.Equal("real-estate-ai/api-service:1.8.2", (string?)JsonNode.Parse((string)api["targetState"]!)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.NotNull(JsonNode.Parse((string)api["liveState"]!)!["status"]);
    }

    [Fact]
    public async Task An_unknown_application_is_permission_denied_as_argocd_server_answers()
    {
        var (status, body) = await ArgoApi.SendAsync(_http, HttpMethod.Get, "api/v1/applications/no-such-app");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(7, (int)body["code"]!);
        Assert.Equal("permission denied", (string?)body["message"]);
        Assert.Equal("permission denied", (string?)body["error"]);
        (status, _) = await ArgoApi.SendAsync(_http, HttpMethod.Post, "api/v1/applications/no-such-app/sync", new JsonObject());
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Without_the_token_or_with_another_the_api_answers_unauthenticated()
    {
        using var none = _sandbox.Client("");
        var (status, body) = await ArgoApi.SendAsync(none, HttpMethod.Get, "api/v1/applications");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(16, (int)body["code"]!);
        Assert.Equal("no session information", (string?)body["message"]);
        using var wrong = _sandbox.Client("not-the-token");
        (status, body) = await ArgoApi.SendAsync(wrong, HttpMethod.Get, "api/v1/applications/real-estate-ai");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("invalid session: ", (string?)body["message"]);
        Assert.DoesNotContain(_sandbox.Secrets.ArgoCdToken, body.ToJsonString());
        // The cookie argocd's web UI uses is accepted too.
        using var cookie = _sandbox.Client("");
        cookie.DefaultRequestHeaders.Add("Cookie", ArgoCdService.CookieName + "=" + _sandbox.Secrets.ArgoCdToken);
        (status, _) = await ArgoApi.SendAsync(cookie, HttpMethod.Get, "api/v1/session/userinfo");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task The_kubernetes_api_still_serves_its_own_api_v1_paths()
    {
        using var kube = new HttpClient { BaseAddress = _sandbox.Host.BaseUrl };
        kube.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _sandbox.Secrets.KubeAdminToken);
        using var response = await kube.GetAsync("api/v1/namespaces/real-estate-ai/services");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (status, version) = await ArgoApi.SendAsync(_http, HttpMethod.Get, "api/version");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("v3.", (string?)version["Version"]);
    }

    [Fact]
    public async Task List_filters_by_name_project_and_selector()
    {
        async Task<int> Count(string query) => (await ArgoApi.SendAsync(_http, HttpMethod.Get, "api/v1/applications" + query)).Body["items"]!.AsArray().Count;
        Assert.Equal(1, await Count(""));
        Assert.Equal(1, await Count("?name=real-estate-ai&projects=default"));
        Assert.Equal(0, await Count("?projects=other"));
        Assert.Equal(1, await Count("?selector=app.kubernetes.io%2Fpart-of%3Dreal-estate-ai"));
        Assert.Equal(0, await Count("?selector=team%3Dpayments"));
    }
}

/// <summary>
/// A bad release end to end: v1.2.0 pushed with a broken image, synced automatically and Degraded; rollback refused while
/// automated sync is on (as argocd-server refuses it); automated sync turned off by a patch; rollback to the previous
/// history id, which brings back the previous images and health.
/// </summary>
public sealed class ArgoCdReleaseTests : IClassFixture<ArgoSandboxFixture>, IDisposable
{
    private readonly ArgoSandboxFixture _sandbox;
    private readonly HttpClient _http;
    private readonly TempDir _scratch = new();

    public ArgoCdReleaseTests(ArgoSandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _http = sandbox.Client();
    }

    public void Dispose()
    {
        _http.Dispose();
        _scratch.Dispose();
    }

    private string? LiveImage(string deployment)
    {
        var kube = _sandbox.Host.Services.OfType<RealEstateOps.Sandbox.Kubernetes.KubernetesService>().Single().Store!;
        lock (kube.Gate) return (string?)kube.Get(RealEstateOps.Sandbox.Kubernetes.KubeResources.Deployments, "real-estate-ai", deployment)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"];
    }

    [Fact]
    public async Task A_broken_release_is_synced_degrades_and_is_rolled_back_once_automated_sync_is_off()
    {
        var broken = await ArgoApi.PushReleaseAsync(_sandbox.Argo.Repository.Folder, _scratch.Path, "v1.2.0", "api-service-deployment.json", "real-estate-ai/api-service:broken");

        // Automated sync follows main to the new commit, and the Deployment never becomes available: Degraded at its deadline.
        Assert.True(await ArgoApi.EventuallyAsync(async () =>
        {
            var app = await ArgoApi.AppAsync(_http, "normal");
            return app["status"]!["history"]!.AsArray() is { Count: 3 } h && (string?)h[2]!["revision"] == broken && (string?)app["status"]!["health"]!["status"] == "Degraded";
        }), "the broken release was not synced automatically or did not degrade");
        Assert.Equal("real-estate-ai/api-service:broken", LiveImage("api-service"));
        var synced = await ArgoApi.AppAsync(_http);
        Assert.True((bool)synced["status"]!["history"]![2]!["initiatedBy"]!["automated"]!);
        Assert.Equal("Synced", (string?)synced["status"]!["sync"]!["status"]);
        var (_, meta) = await ArgoApi.SendAsync(_http, HttpMethod.Get, $"api/v1/applications/real-estate-ai/revisions/{broken}/metadata");
        Assert.Equal(new[] { "v1.2.0" }, meta["tags"]!.AsArray().Select(t => (string?)t));

        // Rollback while automated sync is on: refused exactly as argocd-server refuses it.
        var (status, error) = await ArgoApi.SendAsync(_http, HttpMethod.Post, "api/v1/applications/real-estate-ai/rollback", new JsonObject { ["id"] = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(9, (int)error["code"]!);
        Assert.Equal("rollback cannot be initiated when auto-sync is enabled", (string?)error["message"]);

        // Automated sync off (a merge patch, as `argocd app set --sync-policy none` sends), then an unknown id, then the previous one.
        (status, var patched) = await ArgoApi.SendAsync(_http, HttpMethod.Patch, "api/v1/applications/real-estate-ai",
            new JsonObject { ["name"] = "real-estate-ai", ["patchType"] = "merge", ["patch"] = """{"spec":{"syncPolicy":{"automated":null}}}""" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(patched["spec"]!["syncPolicy"]!["automated"]);
        (status, error) = await ArgoApi.SendAsync(_http, HttpMethod.Post, "api/v1/applications/real-estate-ai/rollback", new JsonObject { ["id"] = "42" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(3, (int)error["code"]!);
        Assert.Equal("application real-estate-ai does not have deployment with id 42", (string?)error["message"]);

        (status, var started) = await ArgoApi.SendAsync(_http, HttpMethod.Post, "api/v1/applications/real-estate-ai/rollback", new JsonObject { ["id"] = 1 });
        Assert.Equal(HttpStatusCode.OK, status);
        var previous = await _sandbox.Argo.Repository.ResolveAsync("v1.1.0");
        Assert.True(previous == (string?)started["operation"]!["sync"]!["revision"], started.ToJsonString());

        Assert.True(await ArgoApi.EventuallyAsync(async () =>
        {
            var app = await ArgoApi.AppAsync(_http, "normal");
            return (string?)app["status"]!["operationState"]!["phase"] == "Succeeded" && app["status"]!["history"]!.AsArray() is { Count: 4 } h && (string?)h[3]!["revision"] == previous &&
                   (string?)app["status"]!["health"]!["status"] == "Healthy";
        }), "the rollback did not complete healthy");
        Assert.Equal("real-estate-ai/api-service:1.8.2", LiveImage("api-service"));
        var after = await ArgoApi.AppAsync(_http);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, after["status"]!["history"]!.AsArray().Select(h => (long)h!["id"]!));
        Assert.Equal("admin", (string?)after["status"]!["history"]![3]!["initiatedBy"]!["username"]);
        // As in Argo CD: live is the rolled-back release while main still names the broken one, so the application is OutOfSync
        // (and, automated sync being off, stays there).
        Assert.Equal("OutOfSync", (string?)after["status"]!["sync"]!["status"]);
        Assert.Equal(broken, (string?)after["status"]!["sync"]!["revision"]);
        Assert.Equal("Synced", (string?)after["status"]!["operationState"]!["syncResult"]!["resources"]!.AsArray()
            .Single(r => (string?)r!["name"] == "api-service" && (string?)r["kind"] == "Deployment")!["status"]);
    }

    [Fact]
    public async Task A_running_sync_is_terminated_and_nothing_else_can_be()
    {
        _sandbox.Host.Context.Clock.Speed = 1; // the sync's two seconds take two seconds
        try
        {
            var (status, _) = await ArgoApi.SendAsync(_http, HttpMethod.Post, "api/v1/applications/real-estate-ai/sync", new JsonObject { ["dryRun"] = true });
            Assert.Equal(HttpStatusCode.OK, status);
            (status, var body) = await ArgoApi.SendAsync(_http, HttpMethod.Delete, "api/v1/applications/real-estate-ai/operation");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Empty(body);
            Assert.True(await ArgoApi.EventuallyAsync(async () => (string?)(await ArgoApi.AppAsync(_http))["status"]!["operationState"]!["phase"] == "Failed"));
            var app = await ArgoApi.AppAsync(_http);
            Assert.Equal("Operation terminated", (string?)app["status"]!["operationState"]!["message"]);
            Assert.Null(app["operation"]);
            (status, body) = await ArgoApi.SendAsync(_http, HttpMethod.Delete, "api/v1/applications/real-estate-ai/operation");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("Unable to terminate operation. No operation is in progress", (string?)body["message"]);
        }
        finally { _sandbox.Host.Context.Clock.Speed = 100; }
    }

    [Fact]
    public async Task A_second_sync_while_one_runs_is_refused_and_a_dry_run_changes_nothing()
    {
        _sandbox.Host.Context.Clock.Speed = 1; // the sync's two seconds take two seconds
        try
        {
            var (status, app) = await ArgoApi.SendAsync(_http, HttpMethod.Post, "api/v1/applications/real-estate-ai/sync", new JsonObject { ["revision"] = "v1.0.0", ["dryRun"] = true });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True((bool)app["operation"]!["sync"]!["dryRun"]!);
            Assert.Equal("Running", (string?)app["status"]!["operationState"]!["phase"]);
            (status, var error) = await ArgoApi.SendAsync(_http, HttpMethod.Post, "api/v1/applications/real-estate-ai/sync", new JsonObject());
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(9, (int)error["code"]!);
            Assert.Equal("another operation is already in progress", (string?)error["message"]);
            var historyBefore = app["status"]!["history"]!.AsArray().Count;
            Assert.True(await ArgoApi.EventuallyAsync(async () => (string?)(await ArgoApi.AppAsync(_http))["status"]!["operationState"]!["phase"] == "Succeeded"));
            var done = await ArgoApi.AppAsync(_http);
            Assert.Equal(historyBefore, done["status"]!["history"]!.AsArray().Count);
            Assert.EndsWith("(dry run)", (string?)done["status"]!["operationState"]!["syncResult"]!["resources"]![0]!["message"]);
            Assert.NotEqual("real-estate-ai/api-service:1.8.1", LiveImage("api-service"));
        }
        finally { _sandbox.Host.Context.Clock.Speed = 100; }
    }
}
