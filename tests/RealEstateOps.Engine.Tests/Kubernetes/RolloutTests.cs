using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.Tests.Kubernetes;

public class RolloutTests : KubeSandboxTest
{
    [Fact]
    public async Task Restart_waits_and_undo_goes_back_or_skips_like_kubectl()
    {
        var rollouts = new Rollouts(Kube);
        var restarted = await rollouts.RestartAsync(new RolloutRequest(Ns, "auth-service"), default);
        Assert.NotNull(restarted.RestartedAt);
        var template = (await Kube.Api.AppsV1.ReadNamespacedDeploymentAsync("auth-service", Ns)).Spec.Template.Metadata.Annotations;
        Assert.True(template.ContainsKey(RealEstateOps.Engine.Kubernetes.Kube.RestartedAtAnnotation));

        var done = await rollouts.WaitAsync(new RolloutRequest(Ns, "auth-service") { Timeout = TimeSpan.FromMinutes(1) }, null, default);
        Assert.Equal(RolloutState.Complete, done.Status);
        Assert.Equal("2", done.Revision);
        Assert.Equal(2, done.Updated);

        var history = await rollouts.HistoryAsync(new RolloutRequest(Ns, "auth-service"), default);
        Assert.Equal(new[] { 1, 2 }, history.Select(h => h.Revision));
        Assert.True(history[1].IsCurrent);

        var undo = await rollouts.UndoAsync(new RolloutRequest(Ns, "auth-service"), null, default);
        Assert.False(undo.Skipped);
        Assert.Equal(1, undo.ToRevision);
        await rollouts.WaitAsync(new RolloutRequest(Ns, "auth-service") { Timeout = TimeSpan.FromMinutes(1) }, null, default);
        Assert.Equal(new[] { 2, 3 }, (await rollouts.HistoryAsync(new RolloutRequest(Ns, "auth-service"), default)).Select(h => h.Revision));
        Assert.False((await Kube.Api.AppsV1.ReadNamespacedDeploymentAsync("auth-service", Ns)).Spec.Template.Metadata.Annotations?.ContainsKey(RealEstateOps.Engine.Kubernetes.Kube.RestartedAtAnnotation) ?? false);

        var skip = await rollouts.UndoAsync(new RolloutRequest(Ns, "auth-service") { ToRevision = 3 }, null, default);
        Assert.True(skip.Skipped);
        Assert.Contains("skipped rollback", skip.Message);
        var unknown = await Assert.ThrowsAsync<OpsException>(() => rollouts.UndoAsync(new RolloutRequest(Ns, "auth-service") { ToRevision = 9 }, null, default));
        Assert.Equal("RolloutRevisionNotFound", unknown.ErrorId);
    }

    [Fact]
    public async Task Paused_deployments_missing_history_and_unknown_names_are_refused()
    {
        var rollouts = new Rollouts(Kube);
        var none = await Assert.ThrowsAsync<OpsException>(() => rollouts.UndoAsync(new RolloutRequest(Ns, "frontend"), null, default));
        Assert.Equal("RolloutHistoryEmpty", none.ErrorId);
        await Kube.Api.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"paused":true}}""", V1Patch.PatchType.MergePatch), "frontend", Ns);
        var before = (await Kube.Api.AppsV1.ReadNamespacedDeploymentAsync("frontend", Ns)).Metadata.ResourceVersion;
        Assert.Equal("DeploymentPaused", (await Assert.ThrowsAsync<OpsException>(() => rollouts.RestartAsync(new RolloutRequest(Ns, "frontend"), default))).ErrorId);
        Assert.Equal("DeploymentPaused", (await Assert.ThrowsAsync<OpsException>(() => rollouts.UndoAsync(new RolloutRequest(Ns, "frontend"), null, default))).ErrorId);
        Assert.Equal(before, (await Kube.Api.AppsV1.ReadNamespacedDeploymentAsync("frontend", Ns)).Metadata.ResourceVersion);
        Assert.Equal("DeploymentNotFound", (await Assert.ThrowsAsync<OpsException>(() => rollouts.RestartAsync(new RolloutRequest(Ns, "nope"), default))).ErrorId);
    }

    [Fact]
    public async Task A_rollout_past_its_progress_deadline_fails_and_the_verdict_says_so()
    {
        var healthy = await new DeploymentHealthChecker(Kube).CheckAsync(new DeploymentHealthRequest { Namespace = Ns, RestartWindow = TimeSpan.FromMinutes(15) }, null, default);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(6, healthy.Deployments.Length);

        await Kube.Api.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"progressDeadlineSeconds":5,"template":{"spec":{"containers":[{"name":"llm","image":"real-estate-ai/llm-service:broken"}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "llm-service", Ns);
        var failed = await Assert.ThrowsAsync<OpsException>(() => new Rollouts(Kube).WaitAsync(new RolloutRequest(Ns, "llm-service") { Timeout = TimeSpan.FromMinutes(1) }, null, default));
        Assert.Equal("RolloutFailed", failed.ErrorId);
        Assert.Contains("exceeded its progress deadline", failed.Message);

        var verdict = await new DeploymentHealthChecker(Kube).CheckAsync(new DeploymentHealthRequest { Namespace = Ns, Names = new[] { "llm-*" }, RestartWindow = TimeSpan.FromMinutes(15) }, null, default);
        Assert.Equal(HealthStatus.Failed, verdict.Status);
        var check = Assert.Single(verdict.Deployments);
        Assert.NotEmpty(check.CrashLooping);
        Assert.Contains(verdict.Reasons, r => r.Contains("progress deadline", StringComparison.Ordinal));

        await new Rollouts(Kube).RestartAsync(new RolloutRequest(Ns, "api-service"), default);
        var timeout = await Assert.ThrowsAsync<OpsException>(() => new Rollouts(Kube).WaitAsync(new RolloutRequest(Ns, "api-service") { Timeout = TimeSpan.FromMilliseconds(1) }, null, default));
        Assert.Equal("RolloutTimeout", timeout.ErrorId);
    }

    [Fact]
    public async Task Services_without_ready_endpoints_degrade_the_verdict()
    {
        await Kube.Api.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":0}}""", V1Patch.PatchType.MergePatch), "proposal-service", Ns);
        await WaitUntilAsync(async () => (await Kube.Api.CoreV1.ReadNamespacedEndpointsAsync("proposal-service", Ns)).Subsets is not { Count: > 0 });
        var verdict = await new DeploymentHealthChecker(Kube).CheckAsync(new DeploymentHealthRequest { Namespace = Ns, RestartWindow = TimeSpan.FromMinutes(15) }, null, default);
        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal(new[] { "proposal-service" }, verdict.ServicesWithoutEndpoints);
    }

    [Fact]
    public async Task The_db_secret_is_created_updated_idempotently_and_never_returned()
    {
        var writer = new DbSecretWriter(Kube);
        var request = new DbSecretRequest { Namespace = Ns, Name = "db-restored", Host = "db1.example", Port = 5432, Database = "real_estate_ai", User = "app", Password = "s3cret-pw" };
        Assert.Equal(DbSecretAction.Created, (await writer.ApplyAsync(request, null, default)).Action);
        Assert.Equal(DbSecretAction.Unchanged, (await writer.ApplyAsync(request, null, default)).Action);
        var updated = await writer.ApplyAsync(new DbSecretRequest { Namespace = Ns, Name = "db-restored", Host = "db2.example", Port = 5433, User = "app", Password = "s3cret-pw" }, null, default);
        Assert.Equal(DbSecretAction.Updated, updated.Action);
        Assert.Equal(new[] { "host", "password", "port", "user" }, updated.Keys);
        Assert.DoesNotContain("s3cret", System.Text.Json.JsonSerializer.Serialize(updated));
        var secret = await Kube.Api.CoreV1.ReadNamespacedSecretAsync("db-restored", Ns);
        Assert.Equal("db2.example", System.Text.Encoding.UTF8.GetString(secret.Data["host"]));
        Assert.Equal("5433", System.Text.Encoding.UTF8.GetString(secret.Data["port"]));
        Assert.False(secret.Data.ContainsKey("database"));
    }
}
