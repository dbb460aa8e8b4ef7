using System.Net;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using Xunit;

namespace RealEstateOps.Engine.Tests.ArgoCd;

public sealed class ArgoRollbackTests
{
    private static ArgoScripted Server(bool automated, string? operation = null) => new((r, _) => r.RequestUri!.AbsolutePath switch
    {
        var p when p.Contains("/revisions/bbbb", StringComparison.Ordinal) => (HttpStatusCode.OK, """{"tags": ["v1.1.0"]}"""),
        var p when p.Contains("/revisions/cccc", StringComparison.Ordinal) => (HttpStatusCode.OK, """{"tags": ["v1.2.0"]}"""),
        var p when p.Contains("/revisions/", StringComparison.Ordinal) => (HttpStatusCode.OK, """{"tags": []}"""),
        var p when p.EndsWith("/resource-tree", StringComparison.Ordinal) => (HttpStatusCode.OK, ArgoScripted.DegradedTree),
        _ => (HttpStatusCode.OK, ArgoScripted.App(automated: automated, health: "Degraded", operation: operation)),
    });

    [Fact]
    public async Task With_automated_sync_on_a_rollback_is_refused_before_any_change()
    {
        using var server = Server(automated: true);
        using var client = server.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new ArgoOperations(client).PlanRollbackAsync(new ArgoRollbackRequest { Name = "real-estate-ai" }, null, CancellationToken.None));
        Assert.Equal("ArgoAutoSyncEnabled", ex.ErrorId);
        Assert.Contains("rollback cannot be initiated when auto-sync is enabled; use -DisableAutoSync", ex.Message);
        Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task With_DisableAutoSync_the_plan_goes_to_the_entry_before_the_current_one_with_its_tag_then_patches_and_rolls_back()
    {
        using var server = Server(automated: true);
        using var client = server.Client();
        var operations = new ArgoOperations(client);
        var plan = await operations.PlanRollbackAsync(new ArgoRollbackRequest { Name = "real-estate-ai", DisableAutoSync = true }, null, CancellationToken.None);
        Assert.True(plan.DisablesAutoSync);
        Assert.Equal(2, plan.From!.Id);
        Assert.Equal("v1.2.0", plan.From.Tag);
        Assert.Equal(1, plan.To.Id);
        Assert.Equal("v1.1.0", plan.To.Tag);
        Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));

        await operations.SetAutoSyncAsync("real-estate-ai", false, CancellationToken.None);
        var patch = server.Requests.Single(r => r.Method == "PATCH");
        var body = System.Text.Json.Nodes.JsonNode.Parse(patch.Body!)!;
        Assert.Equal("merge", (string?)body["patchType"]);
        Assert.Equal("""{"spec":{"syncPolicy":{"automated":null}}}""", (string?)body["patch"]);

        await operations.RollbackAsync(plan, null, CancellationToken.None);
        var put = server.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/rollback", StringComparison.Ordinal));
        Assert.EndsWith("/api/v1/applications/real-estate-ai/rollback", put.Path);
        Assert.Equal(1, (long?)System.Text.Json.Nodes.JsonNode.Parse(put.Body!)!["id"]);
    }

    [Fact]
    public async Task An_unknown_history_id_and_a_running_operation_are_refused_before_any_change()
    {
        using (var server = Server(automated: false))
        using (var client = server.Client())
        {
            var ex = await Assert.ThrowsAsync<OpsException>(() => new ArgoOperations(client).PlanRollbackAsync(new ArgoRollbackRequest { Name = "real-estate-ai", HistoryId = 7 }, null, CancellationToken.None));
            Assert.Equal("ArgoHistoryEntryNotFound", ex.ErrorId);
            Assert.Contains("ids: 2, 1, 0", ex.Message);
        }
        using (var server = Server(automated: false, operation: """{"sync": {"revision": "main"}}"""))
        using (var client = server.Client())
        {
            var ex = await Assert.ThrowsAsync<OpsException>(() => new ArgoOperations(client).PlanRollbackAsync(new ArgoRollbackRequest { Name = "real-estate-ai" }, null, CancellationToken.None));
            Assert.Equal("ArgoOperationInProgress", ex.ErrorId);
            Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));
        }
    }
}
