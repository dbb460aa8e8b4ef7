using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// kubectl drain, faithfully: cordon; list the node's pods; kubectl's filters in kubectl's order (DaemonSet,
/// mirror, local storage, unreplicated); stop before evicting anything when a pod cannot be handled; evict
/// every pod at once through policy/v1 Eviction (or delete with DisableEviction); a 429 from a disruption
/// budget is retried every few seconds and reported; several budgets (500) fail that pod; then wait until
/// each evicted pod is gone (absent, or a different UID) — one list of the node's pods per poll, not one
/// request per pod. The node stays cordoned whatever happens.
/// </summary>
public sealed partial class NodeDrainer
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public NodeDrainer(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    [GeneratedRegex(@"The disruption budget (\S+) needs (\d+) healthy pods and has (\d+) currently")]
    private static partial Regex BudgetMessage();

    private Task<V1Node> GetNodeAsync(string node, CancellationToken ct) =>
        _client.Call(api => api.CoreV1.ReadNodeAsync(node, cancellationToken: ct), "Node", node, null);

    /// <summary>Cordon (unschedulable=true) or uncordon: a strategic-merge patch, none at all when the node already is so.</summary>
    public async Task<KubeNode> SetSchedulingAsync(string node, bool unschedulable, CancellationToken ct)
    {
        var current = await GetNodeAsync(node, ct).ConfigureAwait(false);
        if ((current.Spec?.Unschedulable == true) == unschedulable) return KubeNode.From(current, _time.GetUtcNow());
        var patch = new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = unschedulable ? true : null } };
        var updated = await _client.Call(api => api.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), node, cancellationToken: ct),
            "Node", node, null).ConfigureAwait(false);
        return KubeNode.From(updated, _time.GetUtcNow());
    }

    private sealed record Plan(List<V1Pod> ToEvict, List<DrainPod> Skipped, List<DrainPod> Errors, List<string> Warnings);

    private async Task<Plan> PlanAsync(string node, DrainOptions o, CancellationToken ct)
    {
        var pods = await new KubeQueries(_client, _time).PodsAsync(null, o.PodSelector, "spec.nodeName=" + node, ct).ConfigureAwait(false);
        var toEvict = new List<V1Pod>();
        var skipped = new List<DrainPod>();
        var errors = new List<DrainPod>();
        var ignoredDs = new List<string>();
        var localStorage = new List<string>();
        var unreplicated = new List<string>();
        var daemonSets = new Dictionary<string, bool>();
        foreach (var pod in pods.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var id = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
            DrainPod Item(string? reason, DrainPodDisposition disposition = DrainPodDisposition.NotHandled) =>
                new() { Namespace = pod.Metadata.NamespaceProperty ?? "", Name = pod.Metadata.Name, Disposition = disposition, Reason = reason, Uid = pod.Metadata.Uid ?? "" };
            var finished = pod.Status?.Phase is "Succeeded" or "Failed";
            var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

            // 1. DaemonSet pods: the DaemonSet would recreate them at once.
            if (controller?.Kind == "DaemonSet")
            {
                var key = pod.Metadata.NamespaceProperty + "/" + controller.Name;
                if (!daemonSets.TryGetValue(key, out var exists))
                {
                    try
                    {
                        await _client.Call(api => api.AppsV1.ReadNamespacedDaemonSetAsync(controller.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct),
                            "DaemonSet", controller.Name, pod.Metadata.NamespaceProperty).ConfigureAwait(false);
                        exists = true;
                    }
                    catch (OpsException ex) when (ex.ErrorId == "DaemonSetNotFound") { exists = false; }
                    daemonSets[key] = exists;
                }
                if (!exists && !o.EvictUnmanaged) { errors.Add(Item($"its DaemonSet {controller.Name} was not found, so nothing would recreate it (use -EvictUnmanaged to delete it for good)")); continue; }
                if (exists)
                {
                    if (!o.IgnoreDaemonSets) { errors.Add(Item("DaemonSet-managed (use -IgnoreDaemonSets)")); continue; }
                    ignoredDs.Add(id);
                    skipped.Add(Item("DaemonSet-managed", DrainPodDisposition.Skipped));
                    continue;
                }
            }
            // 2. Mirror pods: the kubelet owns them; the API cannot delete them.
            if (pod.Metadata.Annotations?.ContainsKey(Kube.MirrorAnnotation) == true) { skipped.Add(Item("mirror pod", DrainPodDisposition.Skipped)); continue; }
            // 3. Local storage: emptyDir data is lost.
            if (!finished && pod.Spec?.Volumes?.Any(v => v.EmptyDir is not null) == true)
            {
                if (!o.DeleteEmptyDirData) { errors.Add(Item("has local storage (emptyDir); use -DeleteEmptyDirData")); continue; }
                localStorage.Add(id);
            }
            // 4. Unreplicated: nothing would recreate it.
            if (!finished && controller is null)
            {
                if (!o.EvictUnmanaged) { errors.Add(Item("not managed by a controller (ReplicaSet, StatefulSet, Job, ...), so nothing would recreate it; use -EvictUnmanaged to delete it for good")); continue; }
                unreplicated.Add(id);
            }
            toEvict.Add(pod);
        }
        var warnings = new List<string>();
        if (ignoredDs.Count > 0) warnings.Add("ignoring DaemonSet-managed Pods: " + string.Join(", ", ignoredDs));
        if (localStorage.Count > 0) warnings.Add("deleting Pods with local storage: " + string.Join(", ", localStorage));
        if (unreplicated.Count > 0) warnings.Add("deleting Pods that declare no controller: " + string.Join(", ", unreplicated));
        return new Plan(toEvict, skipped, errors, warnings);
    }

    private static DrainPod Of(V1Pod p, DrainPodDisposition disposition, string? reason = null) =>
        new() { Namespace = p.Metadata.NamespaceProperty ?? "", Name = p.Metadata.Name, Uid = p.Metadata.Uid ?? "", Disposition = disposition, Reason = reason };

    /// <summary>-WhatIf: exactly what would be evicted, skipped or refused, and which budgets would block — reads only.</summary>
    public async Task<NodeDrainResult> PreviewAsync(string node, DrainOptions o, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var n = await GetNodeAsync(node, ct).ConfigureAwait(false);
        var plan = await PlanAsync(node, o, ct).ConfigureAwait(false);
        var blocks = new List<BudgetBlock>();
        var failed = plan.Errors.ToList();
        var evict = new List<DrainPod>();
        if (!o.DisableEviction && plan.ToEvict.Count > 0)
        {
            var budgets = await _client.Call(api => api.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(cancellationToken: ct), "PodDisruptionBudget", null, null).ConfigureAwait(false);
            var allowed = budgets.Items.ToDictionary(b => b.Metadata.NamespaceProperty + "/" + b.Metadata.Name, b => b.Status?.DisruptionsAllowed ?? 0);
            var planned = allowed.Keys.ToDictionary(k => k, _ => 0);
            foreach (var pod in plan.ToEvict)
            {
                var matching = budgets.Items.Where(b => b.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty && Kube.Matches(b.Spec?.Selector, pod.Metadata.Labels)).ToList();
                if (matching.Count > 1) { failed.Add(Of(pod, DrainPodDisposition.Failed, "more than one PodDisruptionBudget: " + string.Join(", ", matching.Select(b => b.Metadata.Name)))); continue; }
                evict.Add(Of(pod, DrainPodDisposition.Evicted));
                if (matching.Count == 1)
                {
                    var b = matching[0];
                    var key = b.Metadata.NamespaceProperty + "/" + b.Metadata.Name;
                    if (allowed[key] <= 0)
                        blocks.Add(new BudgetBlock
                        {
                            Budget = b.Metadata.Name, Namespace = b.Metadata.NamespaceProperty ?? "", Pod = pod.Metadata.Name,
                            NeedsHealthy = b.Status?.DesiredHealthy, HasHealthy = (b.Status?.CurrentHealthy ?? 0) - planned[key],
                            Message = $"would wait until replacements are ready: the budget needs {b.Status?.DesiredHealthy} healthy pods and would have {(b.Status?.CurrentHealthy ?? 0) - planned[key]}",
                        });
                    else planned[key]++;
                    allowed[key]--;
                }
            }
        }
        else evict.AddRange(plan.ToEvict.Select(p => Of(p, DrainPodDisposition.Evicted)));
        return new NodeDrainResult
        {
            Node = node, Status = NodeDrainStatus.WhatIf, Cordoned = n.Spec?.Unschedulable == true, Evicted = evict.ToArray(), Skipped = plan.Skipped.ToArray(),
            Failed = failed.ToArray(), BlockingBudgets = blocks.ToArray(), Warnings = plan.Warnings.ToArray(), Duration = _time.GetElapsedTime(started),
        };
    }


    private enum PodState { Pending, Blocked, Evicted, Failed }

    /// <summary>
    /// Drains one node. Says what it does as Verbose notes (cordoned, evicting, a budget's refusal, evicted, drained)
    /// and its wait as progress; a refusal, failed evictions or a timeout end in a <see cref="DrainException"/> with
    /// the result so far, a cancellation in a <see cref="NodeDrainStoppedException"/> once pods were being evicted.
    /// </summary>
    public Task<NodeDrainResult> DrainAsync(string node, DrainOptions options, IProgress<OpsEvent>? events, CancellationToken ct) =>
        DrainCoreAsync(node, options, events, activityId: 1, ct);

    /// <summary>
    /// Drains several nodes, <see cref="DrainOptions.ThrottleLimit"/> at a time, each with its own progress activity.
    /// Each node's end is reported as a <see cref="NodeDrainEnded"/> (on the drain's own thread, so a listener can
    /// record it even after a cancellation), a node's failure also as an <see cref="OpsItemFailed"/>, and the others go on;
    /// a fatal error (the cluster cannot be reached) or a cancellation ends them all.
    /// </summary>
    public async Task DrainManyAsync(IReadOnlyList<string> nodes, DrainOptions options, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var activities = nodes.Select((node, i) => (Node: node, ActivityId: 1 + i)).ToList();
        await Parallel.ForEachAsync(activities, new ParallelOptions { MaxDegreeOfParallelism = options.ThrottleLimit, CancellationToken = ct }, async (item, token) =>
        {
            var (node, activityId) = item;
            var started = _time.GetTimestamp();
            try
            {
                var result = await DrainCoreAsync(node, options, events, activityId, token).ConfigureAwait(false);
                events?.Report(new NodeDrainEnded(node, _time.GetElapsedTime(started)) { Result = result });
            }
            catch (DrainException ex)
            {
                events?.Report(new NodeDrainEnded(node, _time.GetElapsedTime(started)) { Result = ex.Result, Error = ex, Message = ex.Message });
                events.ItemFailed(ex);
            }
            catch (OpsException ex)
            {
                events?.Report(new NodeDrainEnded(node, _time.GetElapsedTime(started)) { Error = ex, Message = ex.Message });
                if (ex.IsFatal) throw;
                events.ItemFailed(ex);
            }
            catch (OperationCanceledException ex)
            {
                var stopped = ex as NodeDrainStoppedException;
                events?.Report(new NodeDrainEnded(node, _time.GetElapsedTime(started))
                {
                    Result = stopped?.Result, Stopped = true, Message = stopped?.Message ?? $"Stopped: node/{node} stays cordoned.",
                });
                throw;
            }
        }).ConfigureAwait(false);
    }

    private async Task<NodeDrainResult> DrainCoreAsync(string node, DrainOptions o, IProgress<OpsEvent>? events, int activityId, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var result = new NodeDrainResult { Node = node };
        await SetSchedulingAsync(node, true, ct).ConfigureAwait(false);
        result.Cordoned = true;
        events.Verbose($"node/{node} cordoned");

        var plan = await PlanAsync(node, o, ct).ConfigureAwait(false);
        result.Skipped = plan.Skipped.ToArray();
        result.Warnings = plan.Warnings.ToArray();
        foreach (var w in plan.Warnings) events.Verbose("Warning: " + w);
        if (plan.Errors.Count > 0)
        {
            result.Status = NodeDrainStatus.Refused;
            result.Failed = plan.Errors.ToArray();
            result.Remaining = plan.ToEvict.Select(p => Of(p, DrainPodDisposition.NotEvicted)).ToArray();
            result.Duration = _time.GetElapsedTime(started);
            throw new DrainException("DrainPodsNotHandled", OpsErrorCategory.InvalidOperation,
                $"Cannot drain node {node}; nothing was evicted (the node stays cordoned). Pods that cannot be handled: " + string.Join("; ", plan.Errors), result)
            { RecommendedAction = "Use -DeleteEmptyDirData for pods with emptyDir data, -EvictUnmanaged (kubectl drain's --force) for pods without a controller (they are deleted for good), or move them first. -Force only skips the confirmation prompt." };
        }

        var states = new ConcurrentDictionary<string, PodState>();
        var reasons = new ConcurrentDictionary<string, string>();
        var blocks = new ConcurrentDictionary<string, BudgetBlock>();
        var gone = new ConcurrentDictionary<string, bool>();
        foreach (var p in plan.ToEvict) states[p.Metadata.Uid] = PodState.Pending;
        using var evictions = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = plan.ToEvict.Select(p => Task.Run(() => EvictAsync(p, o, states, reasons, blocks, events, evictions.Token), CancellationToken.None)).ToList();

        void Fill(NodeDrainStatus status)
        {
            result.Status = status;
            result.Evicted = plan.ToEvict.Where(p => states[p.Metadata.Uid] == PodState.Evicted && gone.ContainsKey(p.Metadata.Uid)).Select(p => Of(p, DrainPodDisposition.Evicted)).ToArray();
            result.Failed = plan.ToEvict.Where(p => states[p.Metadata.Uid] == PodState.Failed).Select(p => Of(p, DrainPodDisposition.Failed, reasons.GetValueOrDefault(p.Metadata.Uid))).ToArray();
            result.Remaining = plan.ToEvict.Where(p => !gone.ContainsKey(p.Metadata.Uid)).Select(p => states[p.Metadata.Uid] switch
            {
                PodState.Blocked => Of(p, DrainPodDisposition.Blocked, "blocked: " + reasons.GetValueOrDefault(p.Metadata.Uid)),
                PodState.Evicted => Of(p, DrainPodDisposition.Terminating, "terminating"),
                PodState.Failed => Of(p, DrainPodDisposition.Failed, reasons.GetValueOrDefault(p.Metadata.Uid)),
                _ => Of(p, DrainPodDisposition.NotEvicted, "not evicted"),
            }).ToArray();
            result.BlockingBudgets = blocks.Values.OrderBy(b => b.Pod, StringComparer.Ordinal).ToArray();
            result.Duration = _time.GetElapsedTime(started);
        }

        try
        {
            if (plan.ToEvict.Count > 0)
                await Waiter.WaitAsync(
                    async token =>
                    {
                        var present = (await new KubeQueries(_client, _time).PodsAsync(null, null, "spec.nodeName=" + node, token).ConfigureAwait(false))
                            .Select(p => p.Metadata.Uid).ToHashSet();
                        foreach (var p in plan.ToEvict)
                            if (states[p.Metadata.Uid] == PodState.Evicted && !present.Contains(p.Metadata.Uid) && gone.TryAdd(p.Metadata.Uid, true))
                                events.Verbose($"pod/{p.Metadata.Name} evicted");
                        return true;
                    },
                    _ =>
                    {
                        var evicted = plan.ToEvict.Count(p => states[p.Metadata.Uid] == PodState.Evicted);
                        var goneCount = gone.Count;
                        var blocked = plan.ToEvict.Count(p => states[p.Metadata.Uid] == PodState.Blocked);
                        var failedCount = plan.ToEvict.Count(p => states[p.Metadata.Uid] == PodState.Failed);
                        if (tasks.All(t => t.IsCompleted) && goneCount == evicted) return WaitCheck.Done($"{goneCount} pods evicted");
                        return WaitCheck.Pending($"{goneCount} of {plan.ToEvict.Count} pods gone" + (blocked > 0 ? $", {blocked} blocked by disruption budgets" : "") + (failedCount > 0 ? $", {failedCount} failed" : ""),
                            plan.ToEvict.Count == 0 ? null : goneCount * 100 / plan.ToEvict.Count);
                    },
                    new WaitOptions
                    {
                        Activity = $"Draining node {node}", Timeout = o.Timeout, InitialInterval = TimeSpan.FromSeconds(1), MaxInterval = TimeSpan.FromSeconds(3), Backoff = 1.25,
                        TimeoutErrorId = "DrainTimeout", Target = node, Time = _time,
                    },
                    events is null ? null : new WaitEvents(events, activityId), ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "DrainTimeout")
        {
            evictions.Cancel();
            Fill(NodeDrainStatus.TimedOut);
            throw new DrainException("DrainTimeout", OpsErrorCategory.OperationTimeout,
                $"Draining node {node} did not finish within {Waiter.Format(o.Timeout)}; the node stays cordoned. Gone: {result.Evicted.Length}; remaining: {string.Join(", ", result.Remaining.Select(r => r.ToString()))}.", result, ex);
        }
        catch (OperationCanceledException ex)
        {
            evictions.Cancel();
            Fill(NodeDrainStatus.Stopped);
            throw new NodeDrainStoppedException(
                $"Stopped: node/{node} stays cordoned; evicted: {string.Join(", ", result.Evicted.Select(p => p.Name))}; remaining: {string.Join(", ", result.Remaining.Select(r => r.ToString()))}",
                result, ex);
        }
        finally
        {
            evictions.Cancel();
            try { await Task.WhenAll(tasks).ConfigureAwait(false); } catch (OperationCanceledException) { }
        }

        Fill(plan.ToEvict.Any(p => states[p.Metadata.Uid] == PodState.Failed) ? NodeDrainStatus.Failed : NodeDrainStatus.Drained);
        if (result.Status == NodeDrainStatus.Failed)
            throw new DrainException("DrainEvictionFailed", OpsErrorCategory.InvalidOperation,
                $"Node {node} is cordoned but not drained: {string.Join("; ", result.Failed.Select(f => f.ToString()))}.", result);
        events.Verbose($"node/{node} drained");
        return result;
    }

    private async Task EvictAsync(V1Pod pod, DrainOptions o, ConcurrentDictionary<string, PodState> states, ConcurrentDictionary<string, string> reasons,
        ConcurrentDictionary<string, BudgetBlock> blocks, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid;
        var name = pod.Metadata.Name;
        var ns = pod.Metadata.NamespaceProperty;
        var options = o.GracePeriodSeconds is { } g ? new V1DeleteOptions { GracePeriodSeconds = g, Preconditions = new V1Preconditions { Uid = uid } } : new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } };
        string? lastBlock = null;
        events.Verbose($"evicting pod {ns}/{name}");
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            KubeRefusal? refusal;
            try
            {
                refusal = o.DisableEviction
                    ? await _client.TryCall(api => api.CoreV1.DeleteNamespacedPodAsync(name, ns, body: options, cancellationToken: ct), "Pod", name, ns).ConfigureAwait(false)
                    : await _client.TryCall(api => api.CoreV1.CreateNamespacedPodEvictionAsync(new V1Eviction { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, DeleteOptions = options }, name, ns, cancellationToken: ct),
                        "Pod", name, ns).ConfigureAwait(false);
            }
            catch (OpsException ex) when (ex.ErrorId == "KubeApiUnreachable")
            {
                states[uid] = PodState.Failed;
                reasons[uid] = ex.Message;
                return;
            }
            catch (OpsException ex) when (ex.ErrorId == "KubeApiTimeout" && !ct.IsCancellationRequested)
            {
                states[uid] = PodState.Failed;
                reasons[uid] = "the API server did not answer in time (KubeApiTimeout)";
                events.Verbose($"error when evicting pod {ns}/{name}: {reasons[uid]}");
                return;
            }
            if (refusal is null)
            {
                states[uid] = PodState.Evicted;
                return;
            }
            var status = refusal.Status;
            switch (status.Code)
            {
                case 404:
                case 409 when status.Message.Contains("Precondition", StringComparison.Ordinal):
                    // Already gone, or replaced by a pod of the same name: this one is evicted.
                    states[uid] = PodState.Evicted;
                    return;
                case 429:
                {
                    var cause = status.Causes.FirstOrDefault(c => c.Reason == "DisruptionBudget").Message ?? "";
                    var m = BudgetMessage().Match(cause);
                    var block = new BudgetBlock
                    {
                        Budget = m.Success ? m.Groups[1].Value : "(unnamed)", Namespace = ns ?? "", Pod = name,
                        NeedsHealthy = m.Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
                        HasHealthy = m.Success ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
                        Message = cause.Length > 0 ? cause : status.Message,
                    };
                    blocks[uid] = block;
                    states[uid] = PodState.Blocked;
                    reasons[uid] = block.Message;
                    if (block.Message != lastBlock) events.Verbose($"error when evicting pod {ns}/{name} (will retry after {Waiter.Format(o.EvictionRetryInterval)}): {status.Message} {block.Message}");
                    lastBlock = block.Message;
                    await Task.Delay(o.EvictionRetryInterval, _time, ct).ConfigureAwait(false);
                    continue;
                }
                default:
                    states[uid] = PodState.Failed;
                    reasons[uid] = status.Code == 500 && status.Message.Contains("more than one PodDisruptionBudget", StringComparison.Ordinal)
                        ? "more than one PodDisruptionBudget selects it (the eviction API refuses such pods)"
                        : refusal.Error.Message;
                    blocks.TryRemove(uid, out _);
                    events.Verbose($"error when evicting pod {ns}/{name}: {reasons[uid]}");
                    return;
            }
        }
    }

    /// <summary>The drain's wait as progress events: one activity per node, the status as Write-Progress shows a wait's.</summary>
    private sealed class WaitEvents : IProgress<WaitProgress>
    {
        private readonly IProgress<OpsEvent> _events;
        private readonly int _activityId;

        public WaitEvents(IProgress<OpsEvent> events, int activityId)
        {
            _events = events;
            _activityId = activityId;
        }

        public void Report(WaitProgress p)
        {
            _events.Report(p.ToProgress(_activityId));
        }
    }
}
