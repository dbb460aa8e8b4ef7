using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Tests.Kubernetes;

namespace RealEstateOps.Engine.Tests.Eks;

/// <summary>The whole upgrade through the engine on a fresh sandbox cluster: the plan read from the cluster, steps started or attached to, the verification.</summary>
public class EksUpgraderTests : KubeSandboxTest
{
    private const string Cluster = "real-estate-ai-cluster";

    private (EksClient Client, EksOperations Ops, EksUpgrader Upgrader) Open()
    {
        Sandbox.Host.Context.Clock.Speed = 300;
        var client = EksClient.Create(Sandbox.Target("eks"));
        var ops = new EksOperations(client, Kube);
        return (client, ops, new EksUpgrader(ops, Kube));
    }

    private async Task<long> RequestsAsync(string operation)
    {
        var counts = JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!["operations"]!;
        return counts[operation]?.GetValue<long>() ?? 0;
    }

    private static EksUpgradeRequest Request(string? version = "1.33") => new() { ClusterName = Cluster, TargetVersion = version };

    [Fact]
    public async Task The_plan_of_the_seeded_cluster_is_control_plane_add_ons_node_groups_verify_and_reads_only()
    {
        var (client, _, upgrader) = Open();
        using var _ = client;
        var plan = await upgrader.PlanAsync(Request(null), null, default);
        Assert.Equal(("1.32", "1.33"), (plan.ControlPlaneVersion, plan.TargetVersion));
        Assert.Equal(new[] { EksUpgradeStepKind.ControlPlane, EksUpgradeStepKind.Addon, EksUpgradeStepKind.Addon, EksUpgradeStepKind.Addon, EksUpgradeStepKind.Addon,
            EksUpgradeStepKind.NodeGroup, EksUpgradeStepKind.NodeGroup, EksUpgradeStepKind.Verify }, plan.Steps.Select(s => s.Kind));
        Assert.Equal(Enumerable.Range(1, 8), plan.Steps.Select(s => s.Number));
        Assert.All(plan.Steps, s => Assert.Equal(EksUpgradeStepState.Pending, s.State));
        Assert.False(plan.IsResume);
        var proxy = plan.Steps.Single(s => s.Name == "kube-proxy");
        Assert.Equal(("addon/kube-proxy", "v1.32.0-eksbuild.2"), (proxy.Target, proxy.FromVersion));
        Assert.StartsWith("v1.33.", proxy.ToVersion);
        Assert.Equal(0, await RequestsAsync("eks:UpdateClusterVersion") + await RequestsAsync("eks:UpdateAddon") + await RequestsAsync("eks:UpdateNodegroupVersion"));

        var skip = await Assert.ThrowsAsync<OpsException>(() => upgrader.PlanAsync(Request("1.34"), null, default));
        Assert.Equal("EksVersionSkip", skip.ErrorId);
        var down = await Assert.ThrowsAsync<OpsException>(() => upgrader.PlanAsync(Request("1.31"), null, default));
        Assert.Equal("EksVersionDowngrade", down.ErrorId);
    }

    [Fact]
    public async Task An_interrupted_upgrade_resumes_from_the_cluster_attaching_to_the_running_update_and_finishes_verified()
    {
        var (client, ops, upgrader) = Open();
        using var _ = client;
        var request = Request();
        var plan = await upgrader.PlanAsync(request, null, default);

        // The first run starts the control plane's update and is interrupted before waiting for it.
        Sandbox.Host.Context.Clock.Speed = 1;
        var started = await upgrader.StartStepAsync(plan, plan.Steps[0], request, default);
        Assert.Equal(EksUpdateStatus.InProgress, started.Status);
        Assert.Equal(1, await RequestsAsync("eks:UpdateClusterVersion"));

        // The second run reads where the cluster stands: the control plane's update is running; it waits for that one.
        var resumed = await upgrader.PlanAsync(request, null, default);
        var cp = resumed.Steps[0];
        Assert.Equal((EksUpgradeStepState.InProgress, started.UpdateId), (cp.State, cp.UpdateId));
        var attached = await upgrader.StartStepAsync(resumed, cp, request, default);
        Assert.Equal(started.UpdateId, attached.UpdateId);
        Assert.Equal(1, await RequestsAsync("eks:UpdateClusterVersion"));

        Sandbox.Host.Context.Clock.Speed = 300;
        var phases = new List<string>();
        var done = await upgrader.WaitStepAsync(attached, TimeSpan.FromMinutes(2), new Progress(phases), default);
        Assert.Equal(EksUpdateStatus.Successful, done.Status);

        // With the control plane at 1.33 and the node groups at 1.32, the default target finishes 1.33 instead of starting 1.34.
        var rest = await upgrader.PlanAsync(Request(null), null, default);
        Assert.Equal("1.33", rest.TargetVersion);
        Assert.True(rest.IsResume);
        Assert.Equal(EksUpgradeStepState.Done, rest.Steps[0].State);
        foreach (var step in rest.Steps.Where(s => s.State != EksUpgradeStepState.Done && s.Kind != EksUpgradeStepKind.Verify))
        {
            var update = await upgrader.StartStepAsync(rest, step, request, default);
            var finished = await upgrader.WaitStepAsync(update, TimeSpan.FromMinutes(3), null, default);
            Assert.Equal(EksUpdateStatus.Successful, finished.Status);
        }
        var verification = await upgrader.VerifyAsync(Cluster, "1.33", TimeSpan.FromMinutes(2), null, null, default);
        Assert.True(verification.Passed, string.Join("; ", verification.Reasons));
        Assert.Equal("1.33", verification.ControlPlaneVersion);
        Assert.True(verification.NodeCount >= 4);
        Assert.True(verification.DeploymentCount >= 6);
        Assert.Equal(1, await RequestsAsync("eks:UpdateClusterVersion"));
        Assert.Equal(2, await RequestsAsync("eks:UpdateNodegroupVersion"));

        // Nothing left to do: every step is done.
        var again = await upgrader.PlanAsync(request, null, default);
        Assert.All(again.Steps.Where(s => s.Kind != EksUpgradeStepKind.Verify), s => Assert.Equal(EksUpgradeStepState.Done, s.State));
    }

    [Fact]
    public async Task The_verification_names_what_is_not_at_the_target()
    {
        var (client, _, upgrader) = Open();
        using var _ = client;
        var verification = await upgrader.VerifyAsync(Cluster, "1.33", TimeSpan.FromMilliseconds(200), null, null, default);
        Assert.False(verification.Passed);
        Assert.Contains(verification.Reasons, r => r.Contains("control plane is at 1.32", StringComparison.Ordinal));
        Assert.Contains(verification.NodesNotAtTarget, n => n.StartsWith(Node1, StringComparison.Ordinal));
        Assert.Equal(new[] { "gpu-nodes (1.32)", "standard-nodes (1.32)" }, verification.NodeGroupsNotAtTarget);
        Assert.Contains(verification.AddonsNotCompatible, a => a.StartsWith("kube-proxy", StringComparison.Ordinal));
        Assert.Empty(verification.DeploymentsNotAvailable);
    }

    private sealed class Progress : IProgress<RealEstateOps.Engine.Waiting.WaitProgress>
    {
        private readonly List<string> _into;
        public Progress(List<string> into) => _into = into;
        public void Report(RealEstateOps.Engine.Waiting.WaitProgress value) { lock (_into) _into.Add(value.Status); }
    }
}
