using System.Net;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using Xunit;

namespace RealEstateOps.Engine.Tests.ArgoCd;

public sealed class ArgoClientTests
{
    [Fact]
    public async Task A_missing_application_answered_403_permission_denied_is_ArgoApplicationNotFound_not_found_or_not_permitted()
    {
        using var server = new ArgoScripted((_, _) => ArgoScripted.Error(HttpStatusCode.Forbidden, 7, "permission denied"));
        using var client = server.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new ArgoQueries(client).GetAsync("no-such-app", null, CancellationToken.None));
        Assert.Equal("ArgoApplicationNotFound", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Contains("'no-such-app' not found or not permitted", ex.Message);
        Assert.Equal(1, server.Count("GET", "/api/v1/applications/no-such-app")); // a 403 is an answer: not retried
    }

    [Fact]
    public async Task A_rollback_refused_with_code_9_auto_sync_is_ArgoAutoSyncEnabled_and_the_POST_carries_the_bearer_token()
    {
        using var server = new ArgoScripted((r, _) => r.Method == HttpMethod.Post
            ? ArgoScripted.Error(HttpStatusCode.BadRequest, 9, "rollback cannot be initiated when auto-sync is enabled")
            : (HttpStatusCode.OK, ArgoScripted.App()));
        using var client = server.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.RollbackAsync("real-estate-ai", new System.Text.Json.Nodes.JsonObject { ["id"] = 1 }, CancellationToken.None));
        Assert.Equal("ArgoAutoSyncEnabled", ex.ErrorId);
        Assert.Contains("rollback cannot be initiated when auto-sync is enabled", ex.Message);
        Assert.Contains("-DisableAutoSync", ex.RecommendedAction);
        Assert.Equal("Bearer " + ArgoScripted.Token, server.Requests.Single().Authorization);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, 9, "another operation is already in progress", "ArgoOperationInProgress")]
    [InlineData(HttpStatusCode.BadRequest, 9, "application is being deleted", "ArgoFailedPrecondition")]
    [InlineData(HttpStatusCode.BadRequest, 3, "application real-estate-ai does not have deployment with id 9", "ArgoInvalidArgument")]
    [InlineData(HttpStatusCode.Unauthorized, 16, "invalid session: token is malformed", "ArgoUnauthenticated")]
    [InlineData(HttpStatusCode.NotFound, 5, "applications.argoproj.io \"x\" not found", "ArgoApplicationNotFound")]
    public async Task Argo_CD_error_bodies_map_to_specific_ids(HttpStatusCode status, int code, string message, string id)
    {
        using var server = new ArgoScripted((_, _) => ArgoScripted.Error(status, code, message));
        using var client = server.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.SyncAsync("real-estate-ai", new System.Text.Json.Nodes.JsonObject(), CancellationToken.None));
        Assert.Equal(id, ex.ErrorId);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task The_token_is_in_no_exception_text_even_when_the_server_echoes_it()
    {
        using var server = new ArgoScripted((_, _) => ArgoScripted.Error(HttpStatusCode.Unauthorized, 16, $"invalid session: token {ArgoScripted.Token} has expired"));
        using var client = server.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new ArgoQueries(client).GetAsync("real-estate-ai", null, CancellationToken.None));
        Assert.Equal("ArgoUnauthenticated", ex.ErrorId);
        Assert.True(ex.IsFatal);
        Assert.Contains("has expired", ex.Message);
        Assert.DoesNotContain(ArgoScripted.Token, ex.ToString());
        Assert.DoesNotContain(ArgoScripted.Token, ex.RecommendedAction ?? "");
    }

    [Fact]
    public async Task A_rollback_POST_is_not_replayed_after_a_502_while_a_GET_is_retried()
    {
        var gets = 0;
        using var server = new ArgoScripted((r, _) =>
            r.Method == HttpMethod.Post ? ArgoScripted.Error(HttpStatusCode.BadGateway, 14, "upstream reset")
            : Interlocked.Increment(ref gets) == 1 ? (HttpStatusCode.BadGateway, "bad gateway") : (HttpStatusCode.OK, ArgoScripted.App()));
        using var client = server.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.RollbackAsync("real-estate-ai", new System.Text.Json.Nodes.JsonObject { ["id"] = 1 }, CancellationToken.None));
        Assert.Equal("ArgoCdServerError", ex.ErrorId);
        Assert.Equal(1, server.Count("POST", "/rollback"));
        var app = await new ArgoQueries(client).GetAsync("real-estate-ai", null, CancellationToken.None);
        Assert.Equal(2, server.Count("GET", "/api/v1/applications/real-estate-ai"));
        Assert.Equal("real-estate-ai", app.Name);
    }

    [Fact]
    public async Task A_sync_POST_is_not_replayed_after_a_504()
    {
        using var server = new ArgoScripted((_, _) => (HttpStatusCode.GatewayTimeout, "gateway timeout"));
        using var client = server.Client();
        await Assert.ThrowsAsync<OpsException>(() => new ArgoOperations(client).SyncAsync(new ArgoSyncRequest { Name = "real-estate-ai" }, null, CancellationToken.None));
        Assert.Equal(1, server.Count("POST", "/sync"));
    }

    [Fact]
    public async Task A_refused_connection_is_ArgoCdUnreachable()
    {
        var target = new ArgoTarget(new Resolved<string>("http://127.0.0.1:1", "test"), "t", "test");
        using var client = ArgoClient.Create(target, new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 1 });
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.ListApplicationsAsync(null, CancellationToken.None));
        Assert.Equal("ArgoCdUnreachable", ex.ErrorId);
    }

    [Fact]
    public async Task An_application_reads_sync_health_history_operation_and_unhealthy_resources_from_the_resource_tree()
    {
        using var server = new ArgoScripted((r, _) => r.RequestUri!.AbsolutePath.EndsWith("/resource-tree", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, ArgoScripted.DegradedTree)
            : (HttpStatusCode.OK, ArgoScripted.App(sync: "OutOfSync", health: "Degraded")));
        using var client = server.Client();
        var app = await new ArgoQueries(client).GetAsync("real-estate-ai", null, CancellationToken.None);
        Assert.Equal(ArgoSyncStatus.OutOfSync, app.SyncStatus);
        Assert.Equal(ArgoHealthStatus.Degraded, app.Health);
        Assert.True(app.AutoSync);
        Assert.Equal("default", app.Project);
        Assert.Equal("real-estate-ai", app.DestinationNamespace);
        Assert.Equal(ArgoOperationPhase.Succeeded, app.OperationPhase);
        Assert.Equal(new long[] { 2, 1, 0 }, app.History.Select(h => h.Id));
        Assert.True(app.History[0].IsCurrent);
        Assert.Equal("cccc3333cccc3333cccc3333cccc3333cccc3333", app.DeployedRevision);
        Assert.Equal("Deployment", Assert.Single(app.OutOfSyncResources).Kind);
        Assert.Equal(new[] { "Deployment", "Pod" }, app.UnhealthyResources.Select(r => r.Kind));
        Assert.Contains("ImagePullBackOff", app.UnhealthyResources[1].HealthMessage);
        Assert.Equal(new[] { "registry.example/api-service:v1.2.0" }, app.Images);
    }

    [Fact]
    public async Task A_healthy_application_needs_no_resource_tree_and_missing_fields_are_Unknown()
    {
        using var server = new ArgoScripted((r, _) => r.RequestUri!.AbsolutePath == "/api/v1/applications"
            ? (HttpStatusCode.OK, """{"items": [{"metadata": {"name": "bare"}}, """ + ArgoScripted.App() + "]}")
            : (HttpStatusCode.OK, """{"nodes": []}"""));
        using var client = server.Client();
        var apps = new List<ArgoApplication>();
        await foreach (var a in new ArgoQueries(client).ListAsync(new ArgoApplicationQuery(), CancellationToken.None)) apps.Add(a);
        Assert.Equal(new[] { "bare", "real-estate-ai" }, apps.Select(a => a.Name));
        Assert.Equal(ArgoSyncStatus.Unknown, apps[0].SyncStatus);
        Assert.Equal(ArgoHealthStatus.Unknown, apps[0].Health);
        Assert.Null(apps[0].OperationPhase);
        Assert.Empty(apps[0].History);
        Assert.Equal(1, server.Requests.Count(r => r.Path == "/api/v1/applications"));
        Assert.Equal(1, server.Count("GET", "/resource-tree")); // for "bare" (Unknown), not for the Healthy one
    }

    [Fact]
    public async Task History_is_newest_first_with_the_tag_at_each_revision()
    {
        using var server = new ArgoScripted((r, _) => r.RequestUri!.AbsolutePath switch
        {
            var p when p.Contains("/revisions/aaaa", StringComparison.Ordinal) => (HttpStatusCode.OK, """{"author": "ci", "tags": ["v1.0.0"], "message": "release"}"""),
            var p when p.Contains("/revisions/bbbb", StringComparison.Ordinal) => (HttpStatusCode.OK, """{"author": "ci", "tags": ["latest-good", "v1.1.0"]}"""),
            var p when p.Contains("/revisions/", StringComparison.Ordinal) => (HttpStatusCode.OK, """{"author": "ci"}"""),
            _ => (HttpStatusCode.OK, ArgoScripted.App()),
        });
        using var client = server.Client();
        var entries = new List<ArgoHistoryEntry>();
        await foreach (var e in new ArgoQueries(client).HistoryAsync("real-estate-ai", null, null, CancellationToken.None)) entries.Add(e);
        Assert.Equal(new long[] { 2, 1, 0 }, entries.Select(e => e.Id));
        Assert.Equal(new string?[] { null, "v1.1.0", "v1.0.0" }, entries.Select(e => e.Tag));
        Assert.Equal("admin", entries[2].InitiatedBy);
        Assert.True(entries[1].Automated);

        var last = new List<ArgoHistoryEntry>();
        server.Requests.Clear();
        await foreach (var e in new ArgoQueries(client).HistoryAsync("real-estate-ai", 1, null, CancellationToken.None)) last.Add(e);
        Assert.Equal(2, Assert.Single(last).Id);
        Assert.Equal(1, server.Count("GET", "/revisions/"));
    }
}
