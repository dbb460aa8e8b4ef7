using System.Net;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Waiting;
using Xunit;

namespace RealEstateOps.Engine.Tests.ArgoCd;

public sealed class ArgoWaitTests
{
    private static ArgoApplication App(string json, string? tree = null) =>
        ArgoJson.Application((JsonObject)JsonNode.Parse(json)!, tree is null ? null : (JsonObject)JsonNode.Parse(tree)!);

    private static readonly ArgoWaitRequest Default = new() { Name = "real-estate-ai" };

    [Fact]
    public void Synced_Healthy_and_no_operation_is_done()
    {
        Assert.Equal(WaitState.Done, ArgoOperations.Check(Default, App(ArgoScripted.App())).State);
    }

    [Fact]
    public void A_requested_or_running_operation_is_pending_even_when_Synced_Healthy_or_Degraded()
    {
        Assert.Equal(WaitState.Pending, ArgoOperations.Check(Default, App(ArgoScripted.App(operation: """{"sync": {}}"""))).State);
        Assert.Equal(WaitState.Pending, ArgoOperations.Check(Default, App(ArgoScripted.App(phase: "Running", health: "Degraded"))).State);
        Assert.Equal(WaitState.Pending, ArgoOperations.Check(Default, App(ArgoScripted.App(sync: "OutOfSync", health: "Progressing"))).State);
    }

    [Fact]
    public void Degraded_computed_after_the_operation_finished_fails_fast_naming_the_unhealthy_resources()
    {
        var ex = Assert.Throws<OpsException>(() => ArgoOperations.Check(Default, App(ArgoScripted.App(health: "Degraded"), ArgoScripted.DegradedTree)));
        Assert.Equal("ArgoApplicationDegraded", ex.ErrorId);
        Assert.Contains("ImagePullBackOff", ex.Message);
        // Degraded from before the operation finished (not yet reconciled since) is not a verdict.
        Assert.Equal(WaitState.Pending, ArgoOperations.Check(Default,
            App(ArgoScripted.App(health: "Degraded", finishedAt: "2026-12-01T10:00:20Z", reconciledAt: "2026-12-01T10:00:10Z"))).State);
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Error")]
    public void A_failed_operation_is_ArgoOperationFailed(string phase)
    {
        var ex = Assert.Throws<OpsException>(() => ArgoOperations.Check(Default, App(ArgoScripted.App(phase: phase, health: "Progressing"))));
        Assert.Equal("ArgoOperationFailed", ex.ErrorId);
        Assert.Contains(phase, ex.Message);
    }

    [Fact]
    public void After_a_rollback_OutOfSync_is_done_once_the_operation_synced_that_revision_and_it_is_Healthy()
    {
        var rollback = new ArgoWaitRequest { Name = "real-estate-ai", Revision = "bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222" };
        Assert.Equal(WaitState.Done, ArgoOperations.Check(rollback, App(ArgoScripted.App(sync: "OutOfSync"))).State);
        Assert.Equal(WaitState.Pending, ArgoOperations.Check(rollback, App(ArgoScripted.App(sync: "OutOfSync", syncedRevision: "cccc3333cccc3333cccc3333cccc3333cccc3333"))).State);
    }

    [Fact]
    public async Task The_wait_polls_until_done_and_reports_progress()
    {
        var polls = 0;
        using var server = new ArgoScripted((r, _) => (HttpStatusCode.OK,
            Interlocked.Increment(ref polls) < 2 ? ArgoScripted.App(phase: "Running", health: "Progressing") : ArgoScripted.App()));
        using var client = server.Client();
        var progress = new List<WaitProgress>();
        var app = await new ArgoOperations(client).WaitAsync(new ArgoWaitRequest { Name = "real-estate-ai", PollInterval = TimeSpan.FromMilliseconds(5) }, new SyncProgress(progress), CancellationToken.None);
        Assert.Equal(ArgoHealthStatus.Healthy, app.Health);
        Assert.Contains(progress, p => p.Status.Contains("operation Running", StringComparison.Ordinal));
        Assert.True(progress[^1].Completed);
    }

    private sealed class SyncProgress(List<WaitProgress> into) : IProgress<WaitProgress>
    {
        public void Report(WaitProgress value) { lock (into) into.Add(value); }
    }
}
