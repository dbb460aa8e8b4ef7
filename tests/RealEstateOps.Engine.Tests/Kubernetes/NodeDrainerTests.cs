using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Engine.Tests.Kubernetes;

public class NodeDrainerTests : KubeSandboxTest
{
    // 20 s is several times what a drain takes here, and short enough that a pod wrongly taken as evicted fails fast.
    private static readonly DrainOptions Runbook = new() { DeleteEmptyDirData = true, Timeout = TimeSpan.FromSeconds(20), EvictionRetryInterval = TimeSpan.FromMilliseconds(300) };

    /// <summary>The eviction requests the sandbox received per pod ("namespace/name"), since the last reset of its counts.</summary>
    private async Task<Dictionary<string, long>> EvictionsPerPodAsync()
    {
        var counts = System.Text.Json.Nodes.JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!;
        return counts["objects"]?["kubernetes:POST pods/{name}/eviction"]?.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<long>())
            ?? new Dictionary<string, long>();
    }

    private async Task<string[]> EvictableOnAsync(string node) =>
        (await PodsOnAsync(node)).Where(p => p.Metadata.NamespaceProperty == Ns).Select(p => p.Metadata.Name).OrderBy(n => n).ToArray();

    [Fact]
    public async Task Drains_like_kubectl_waiting_for_the_budget_and_skipping_daemonsets_and_mirror_pods()
    {
        var expected = await EvictableOnAsync(Node1);
        Assert.Equal(4, expected.Length);
        var events = new EventLog();
        await Sandbox.Http.DeleteAsync("_sandbox/requests");
        var result = await new NodeDrainer(Kube).DrainAsync(Node1, Runbook, events, default);

        Assert.Equal(NodeDrainStatus.Drained, result.Status);
        // Every pod went through the eviction API; the budget allows one of the two api-service pods at a time,
        // so the other's first eviction was refused (429) and tried again.
        var evictions = await EvictionsPerPodAsync();
        Assert.Equal(expected.Select(n => Ns + "/" + n), evictions.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(evictions, kv => kv.Key.StartsWith(Ns + "/api-service-", StringComparison.Ordinal) && kv.Value > 1);
        Assert.True(result.Cordoned);
        Assert.Equal(expected, result.Evicted.Select(p => p.Name).OrderBy(n => n));
        Assert.Equal(new[] { "DaemonSet-managed", "DaemonSet-managed", "mirror pod" }, result.Skipped.Select(s => s.Reason).OrderBy(r => r));
        var block = Assert.Single(result.BlockingBudgets);
        Assert.Equal("api-service-pdb", block.Budget);
        Assert.Equal(2, block.NeedsHealthy);
        Assert.Contains(events.Notes, l => l.Contains("disruption budget api-service-pdb needs 2 healthy pods", StringComparison.Ordinal));
        Assert.Empty(await EvictableOnAsync(Node1));
        Assert.True((await Kube.Api.CoreV1.ReadNodeAsync(Node1)).Spec.Unschedulable);
        // The evicted pods' replacements run elsewhere.
        await WaitUntilAsync(async () => (await Kube.Api.AppsV1.ReadNamespacedDeploymentAsync("api-service", Ns)).Status.ReadyReplicas == 3);
    }

    [Fact]
    public async Task Refuses_before_evicting_anything_when_a_pod_cannot_be_handled()
    {
        var before = await EvictableOnAsync(Node1);
        var ex = await Assert.ThrowsAsync<DrainException>(() => new NodeDrainer(Kube).DrainAsync(Node1, new DrainOptions { Timeout = TimeSpan.FromSeconds(30) }, null, default));
        Assert.Equal("DrainPodsNotHandled", ex.ErrorId);
        Assert.Equal(NodeDrainStatus.Refused, ex.Result.Status);
        var refused = Assert.Single(ex.Result.Failed);
        Assert.StartsWith("chatbot-service-", refused.Name);
        Assert.Contains("emptyDir", refused.Reason);
        Assert.Equal(before, await EvictableOnAsync(Node1));
        Assert.True((await Kube.Api.CoreV1.ReadNodeAsync(Node1)).Spec.Unschedulable); // cordoned, as kubectl leaves it

        // A bare pod needs -EvictUnmanaged (kubectl drain --force).
        await Kube.Api.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "debug-shell" },
            Spec = new V1PodSpec { NodeName = Node2, Containers = new List<V1Container> { new() { Name = "sh", Image = "busybox" } } },
        }, Ns);
        var bare = await Assert.ThrowsAsync<DrainException>(() => new NodeDrainer(Kube).DrainAsync(Node2, Runbook, null, default));
        Assert.Contains(bare.Result.Failed, f => f.Name == "debug-shell" && f.Reason!.Contains("-EvictUnmanaged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Several_nodes_drain_at_once_each_reporting_its_end_and_a_refusal_does_not_stop_the_others()
    {
        // A bare pod on Node2: its drain is refused (it needs -EvictUnmanaged); Node1's goes on.
        await Kube.Api.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "debug-shell" },
            Spec = new V1PodSpec { NodeName = Node2, Containers = new List<V1Container> { new() { Name = "sh", Image = "busybox" } } },
        }, Ns);
        var events = new EventLog();
        await new NodeDrainer(Kube).DrainManyAsync(new[] { Node1, Node2 }, new DrainOptions
        {
            DeleteEmptyDirData = true, Timeout = TimeSpan.FromSeconds(20), EvictionRetryInterval = TimeSpan.FromMilliseconds(300), ThrottleLimit = 2,
        }, events, default);

        var ended = events.OfType<NodeDrainEnded>().ToDictionary(e => e.Node);
        Assert.Equal(new[] { Node1, Node2 }, ended.Keys.Order(StringComparer.Ordinal));
        Assert.Null(ended[Node1].Error);
        Assert.False(ended[Node1].Stopped);
        Assert.Equal(NodeDrainStatus.Drained, ended[Node1].Result!.Status);
        Assert.Equal("DrainPodsNotHandled", ended[Node2].Error!.ErrorId);
        Assert.Equal(NodeDrainStatus.Refused, ended[Node2].Result!.Status);
        Assert.Contains(ended[Node2].Result!.Failed, f => f.Name == "debug-shell");
        Assert.All(ended[Node2].Result!.Failed, f => Assert.Equal(DrainPodDisposition.NotHandled, f.Disposition));
        Assert.Equal("DrainPodsNotHandled", Assert.Single(events.OfType<RealEstateOps.Engine.Common.OpsItemFailed>()).Error.ErrorId);
        // Each node's wait is its own progress activity: Node1 waited (activity 1), Node2 was refused before any wait.
        Assert.Equal(new[] { 1 }, events.OfType<RealEstateOps.Engine.Common.OpsProgress>().Select(p => p.ActivityId).Distinct());
        Assert.Empty(await EvictableOnAsync(Node1));
    }

    [Fact]
    public async Task Preview_lists_what_would_be_evicted_and_blocked_without_any_change()
    {
        var before = await RequestCountAsync();
        var preview = await new NodeDrainer(Kube).PreviewAsync(Node1, Runbook, default);
        Assert.Equal(NodeDrainStatus.WhatIf, preview.Status);
        Assert.Equal(await EvictableOnAsync(Node1), preview.Evicted.Select(p => p.Name).OrderBy(n => n));
        Assert.Equal("api-service-pdb", Assert.Single(preview.BlockingBudgets).Budget);
        Assert.NotEqual(true, (await Kube.Api.CoreV1.ReadNodeAsync(Node1)).Spec.Unschedulable);
        var ops = System.Text.Json.Nodes.JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!["operations"]!.AsObject();
        Assert.DoesNotContain(ops, kv => kv.Key.StartsWith("kubernetes:POST", StringComparison.Ordinal) || kv.Key.StartsWith("kubernetes:PATCH", StringComparison.Ordinal) || kv.Key.StartsWith("kubernetes:DELETE", StringComparison.Ordinal));
        Assert.True(await RequestCountAsync() > before);
    }

    [Fact]
    public async Task A_pod_under_several_budgets_fails_and_the_node_stays_cordoned()
    {
        foreach (var name in new[] { "frontend-a", "frontend-b" })
            await Kube.Api.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(new V1PodDisruptionBudget
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "frontend" } } },
            }, Ns);
        var ex = await Assert.ThrowsAsync<DrainException>(() => new NodeDrainer(Kube).DrainAsync(Node1, Runbook, null, default));
        Assert.Equal("DrainEvictionFailed", ex.ErrorId);
        var failed = Assert.Single(ex.Result.Failed);
        Assert.StartsWith("frontend-", failed.Name);
        Assert.Contains("more than one PodDisruptionBudget", failed.Reason);
        Assert.Equal(3, ex.Result.Evicted.Length);
        Assert.True((await Kube.Api.CoreV1.ReadNodeAsync(Node1)).Spec.Unschedulable);
    }

    [Fact]
    public async Task A_timed_out_drain_stops_evicting_and_reports_what_remains()
    {
        await Kube.Api.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(new V1Patch("""{"spec":{"minAvailable":3}}""", V1Patch.PatchType.MergePatch), "api-service-pdb", Ns);
        var ex = await Assert.ThrowsAsync<DrainException>(() => new NodeDrainer(Kube).DrainAsync(Node1, new DrainOptions { DeleteEmptyDirData = true, Timeout = TimeSpan.FromSeconds(4), EvictionRetryInterval = TimeSpan.FromMilliseconds(300) }, null, default));
        Assert.Equal("DrainTimeout", ex.ErrorId);
        Assert.Equal(NodeDrainStatus.TimedOut, ex.Result.Status);
        Assert.Equal(2, ex.Result.Remaining.Count(r => r.Name.StartsWith("api-service-", StringComparison.Ordinal)));
        Assert.All(ex.Result.Remaining, r => Assert.StartsWith("blocked", r.Reason));
        Assert.Equal(2, ex.Result.Evicted.Length);
        Assert.True((await Kube.Api.CoreV1.ReadNodeAsync(Node1)).Spec.Unschedulable);
    }

    [Fact]
    public async Task A_budgets_429_is_retried_and_the_guarded_pods_stay_while_the_budget_holds()
    {
        // minAvailable 3 of 3 replicas: the budget never allows an api-service eviction during this drain.
        await Kube.Api.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(new V1Patch("""{"spec":{"minAvailable":3}}""", V1Patch.PatchType.MergePatch), "api-service-pdb", Ns);
        var guarded = (await EvictableOnAsync(Node1)).Where(n => n.StartsWith("api-service-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, guarded.Length);
        await Sandbox.Http.DeleteAsync("_sandbox/requests");
        var ex = await Assert.ThrowsAsync<DrainException>(() => new NodeDrainer(Kube).DrainAsync(Node1,
            new DrainOptions { DeleteEmptyDirData = true, Timeout = TimeSpan.FromSeconds(3), EvictionRetryInterval = TimeSpan.FromMilliseconds(300) }, null, default));
        Assert.Equal("DrainTimeout", ex.ErrorId);

        // Each guarded pod was asked again and again (every 300 ms for 3 s), never taken as evicted after the first refusal.
        var evictions = await EvictionsPerPodAsync();
        Assert.All(guarded, name => Assert.True(evictions.GetValueOrDefault(Ns + "/" + name) > 1,
            $"{name}: {evictions.GetValueOrDefault(Ns + "/" + name)} eviction request(s); all: {string.Join(", ", evictions)}"));
        Assert.DoesNotContain(ex.Result.Evicted, p => guarded.Contains(p.Name));
        Assert.Equal(guarded, ex.Result.Remaining.Where(r => r.Name.StartsWith("api-service-", StringComparison.Ordinal)).Select(r => r.Name).Order(StringComparer.Ordinal));
        // Still on the node, running and not terminating.
        var pods = (await PodsOnAsync(Node1)).Where(p => guarded.Contains(p.Metadata.Name)).ToList();
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Null(p.Metadata.DeletionTimestamp));
    }

    [Fact]
    public async Task Ends_the_same_with_20_percent_injected_errors_and_dropped_connections()
    {
        var expected = await EvictableOnAsync(Node1);
        Faults(new FaultSettings
        {
            ErrorRate = 0.2,
            DropRate = 0.05,
            Errors = new List<FaultKind> { new(429, "TooManyRequests"), new(500, "InternalError"), new(503, "ServiceUnavailable") },
        });
        var result = await new NodeDrainer(Kube).DrainAsync(Node1, Runbook, null, default);
        Sandbox.Host.Context.Faults.Reset();
        Assert.Equal(NodeDrainStatus.Drained, result.Status);
        Assert.Equal(expected, result.Evicted.Select(p => p.Name).OrderBy(n => n));
        Assert.Empty(await EvictableOnAsync(Node1));
        Assert.True((await Kube.Api.CoreV1.ReadNodeAsync(Node1)).Spec.Unschedulable);
    }

    [Fact]
    public async Task Cancelling_a_drain_leaves_the_node_cordoned_and_stops_evicting()
    {
        await Kube.Api.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(new V1Patch("""{"spec":{"minAvailable":3}}""", V1Patch.PatchType.MergePatch), "api-service-pdb", Ns);
        using var cts = new CancellationTokenSource();
        var events = new EventLog();
        var drain = new NodeDrainer(Kube).DrainAsync(Node1, Runbook, events, cts.Token);
        await WaitUntilAsync(() => Task.FromResult(events.Notes.Any(l => l.Contains("disruption budget", StringComparison.Ordinal))));
        cts.Cancel();
        var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drain);
        var evictions = async () => System.Text.Json.Nodes.JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!["operations"]!["kubernetes:POST pods/{name}/eviction"]!.GetValue<long>();
        var after = await evictions();
        await Task.Delay(1000);
        Assert.Equal(after, await evictions()); // no more eviction attempts
        Assert.True((await Kube.Api.CoreV1.ReadNodeAsync(Node1)).Spec.Unschedulable);
        Assert.Equal(2, (await EvictableOnAsync(Node1)).Count(n => n.StartsWith("api-service-", StringComparison.Ordinal)));
        var summary = Assert.IsType<NodeDrainStoppedException>(stopped);
        Assert.StartsWith("Stopped:", summary.Message, StringComparison.Ordinal);
        Assert.Contains("remaining", summary.Message, StringComparison.Ordinal);
        Assert.Equal(NodeDrainStatus.Stopped, summary.Result.Status);
    }

    [Fact]
    public async Task Cordon_and_uncordon_patch_only_when_needed()
    {
        var drainer = new NodeDrainer(Kube);
        Assert.True((await drainer.SetSchedulingAsync(Node2, true, default)).Unschedulable);
        var ops = async () => System.Text.Json.Nodes.JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!["operations"]!["kubernetes:PATCH nodes/{name}"]?.GetValue<long>() ?? 0;
        Assert.Equal(1, await ops());
        Assert.Equal("Ready,SchedulingDisabled", (await drainer.SetSchedulingAsync(Node2, true, default)).Status);
        Assert.Equal(1, await ops());
        Assert.False((await drainer.SetSchedulingAsync(Node2, false, default)).Unschedulable);
        Assert.Equal(2, await ops());
        var missing = await Assert.ThrowsAsync<OpsException>(() => drainer.SetSchedulingAsync("nope", true, default));
        Assert.Equal("NodeNotFound", missing.ErrorId);
    }

    [Fact]
    public async Task DisableEviction_deletes_without_consulting_budgets_and_GracePeriod_overrides_the_pods()
    {
        await Kube.Api.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(new V1Patch("""{"spec":{"minAvailable":3}}""", V1Patch.PatchType.MergePatch), "api-service-pdb", Ns);
        var result = await new NodeDrainer(Kube).DrainAsync(Node1, new DrainOptions { DeleteEmptyDirData = true, DisableEviction = true, GracePeriodSeconds = 0, Timeout = TimeSpan.FromSeconds(30) }, null, default);
        Assert.Equal(NodeDrainStatus.Drained, result.Status);
        Assert.Equal(4, result.Evicted.Length);
        Assert.Empty(result.BlockingBudgets);
        var ops = System.Text.Json.Nodes.JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!["operations"]!.AsObject();
        Assert.False(ops.ContainsKey("kubernetes:POST pods/{name}/eviction"));
        Assert.Equal(4, ops["kubernetes:DELETE pods/{name}"]!.GetValue<long>());
    }
}
