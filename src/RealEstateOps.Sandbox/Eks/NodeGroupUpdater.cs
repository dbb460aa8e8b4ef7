using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// UpdateNodegroupVersion as EKS documents it, on the sandbox clock:
/// setup (<see cref="SetupTime"/>) → scale up: new nodes at the target release join (<see cref="LaunchTime"/>), as many as
/// there are old ones within the group's maxSize, and the old nodes are cordoned → upgrade: up to maxUnavailable old nodes at
/// a time are drained by eviction, honouring PodDisruptionBudgets (the same check as the eviction API); a node whose pods are
/// all gone waits <see cref="CordonWait"/> and is terminated; evictions still refused after <see cref="EksStore.EvictionTimeout"/>
/// fail the update with PodEvictionFailure (naming the pods and budgets), unless force, which deletes them without eviction →
/// scale down to the desired size. DaemonSet pods and mirror pods are not drained (they go with their node).
/// </summary>
internal sealed class NodeGroupUpdater : IEksUpdateController
{
    public static readonly TimeSpan SetupTime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LaunchTime = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan CordonWait = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ScaleDownTime = TimeSpan.FromSeconds(30);

    private readonly EksStore _store;
    private readonly EksNodegroup _ng;
    private readonly EksRelease _release;
    private readonly bool _force;
    private DateTimeOffset _phaseStart;
    private List<string> _old = new();
    private readonly List<string> _batch = new();
    private DateTimeOffset? _drainedAt;
    private readonly Dictionary<string, string> _blocked = new(StringComparer.Ordinal);

    public NodeGroupUpdater(EksStore store, EksNodegroup ng, EksRelease release, bool force, DateTimeOffset start)
    {
        _store = store;
        _ng = ng;
        _release = release;
        _force = force;
        _phaseStart = start;
    }

    public string Phase { get; private set; } = "setup";

    private void Enter(string phase, DateTimeOffset now)
    {
        Phase = phase;
        _phaseStart = now;
    }

    public void Step(EksUpdate update, DateTimeOffset now)
    {
        // Large clock jumps (a fast sandbox) may cover several phases in one tick.
        for (var guard = 0; guard < 8 && update.InProgress; guard++)
        {
            var before = Phase;
            StepOnce(update, now);
            if (Phase == before) return;
        }
    }

    private void StepOnce(EksUpdate update, DateTimeOffset now)
    {
        switch (Phase)
        {
            case "setup":
                if (now - _phaseStart < SetupTime) return;
                _old = _store.NodesOf(_ng.Name).Where(n => EksStore.KubeletOf(n) != _release.KubeletVersion).Select(KubeStore.NameOf).ToList();
                Enter("scale-up", now);
                return;
            case "scale-up":
                if (now - _phaseStart < LaunchTime) return;
                var current = _store.NodesOf(_ng.Name).Count;
                var launch = Math.Min(_old.Count, Math.Max(0, _ng.MaxSize - current));
                if (launch == 0 && _store.NodesOf(_ng.Name).Count(n => !_old.Contains(KubeStore.NameOf(n))) == 0) launch = 1; // at least one node to move pods to
                for (var i = 0; i < launch; i++) _store.LaunchNode(_ng, _release);
                foreach (var node in _old) _store.SetUnschedulable(node, true);
                Enter("upgrade", now);
                return;
            case "upgrade":
                Upgrade(update, now);
                return;
            case "scale-down":
                if (now - _phaseStart < ScaleDownTime) return;
                var nodes = _store.NodesOf(_ng.Name);
                for (var i = nodes.Count; i < _ng.DesiredSize; i++) _store.LaunchNode(_ng, _release);
                // Surplus nodes (beyond the desired size): the emptiest newest ones go; their pods are rescheduled.
                foreach (var extra in nodes.OrderBy(n => PodsOn(KubeStore.NameOf(n)).Count).ThenByDescending(n => (string?)KubeStore.Meta(n)["creationTimestamp"]).Take(Math.Max(0, nodes.Count - _ng.DesiredSize)).ToList())
                {
                    foreach (var pod in PodsOn(KubeStore.NameOf(extra))) _store.KubeController.Terminate(pod, null);
                    _store.TerminateNode(KubeStore.NameOf(extra));
                }
                _ng.ReleaseVersion = _release.ReleaseVersion;
                _ng.ModifiedAt = now;
                Phase = "done";
                update.Status = "Successful";
                return;
        }
    }

    private void Upgrade(EksUpdate update, DateTimeOffset now)
    {
        if (_batch.Count == 0)
        {
            var remaining = _old.Where(n => _store.Kube.Get(KubeResources.Nodes, null, n) is not null).ToList();
            if (remaining.Count == 0) { Enter("scale-down", now); return; }
            _batch.AddRange(remaining.Take(MaxUnavailable(remaining.Count + _store.NodesOf(_ng.Name).Count - remaining.Count)));
            _drainedAt = null;
            _blocked.Clear();
            _phaseStart = now;
        }
        if (_drainedAt is { } drained)
        {
            if (now - drained < CordonWait) return;
            foreach (var node in _batch) _store.TerminateNode(node);
            _batch.Clear();
            return;
        }
        var left = 0;
        _blocked.Clear();
        foreach (var node in _batch)
            foreach (var pod in PodsOn(node))
            {
                left++;
                if (KubeStore.IsTerminating(pod)) continue;
                if (_store.KubeController.EvictionRefusal(pod) is { } refusal)
                {
                    var budgets = _store.KubeController.BudgetsOf(pod).Select(b => KubeStore.NamespaceOf(b) + "/" + KubeStore.NameOf(b));
                    _blocked[KubeStore.NamespaceOf(pod) + "/" + KubeStore.NameOf(pod)] = string.Join(", ", budgets) is { Length: > 0 } b ? b : refusal.Message;
                    continue;
                }
                _store.KubeController.Terminate(pod, null);
            }
        if (left == 0) { _drainedAt = now; return; }
        if (_blocked.Count == 0 || now - _phaseStart < EksStore.EvictionTimeout) return;
        if (_force)
        {
            // force: pods a budget still protects are deleted without eviction.
            foreach (var node in _batch)
                foreach (var pod in PodsOn(node).Where(p => !KubeStore.IsTerminating(p))) _store.KubeController.Terminate(pod, null);
            return;
        }
        var pods = string.Join("; ", _blocked.Select(kv => $"pod {kv.Key} (PodDisruptionBudget {kv.Value})"));
        update.Fail("PodEvictionFailure",
            $"Reached max retries while trying to evict pods from nodes in node group {_ng.Name}: {pods} could not be evicted within {EksStore.EvictionTimeout.TotalMinutes:0} minutes. Update with force to replace the nodes regardless of the budgets.",
            _batch.ToList());
        // The nodes not replaced stay in the group at their version, schedulable again.
        foreach (var node in _old) _store.SetUnschedulable(node, false);
        Phase = "failed";
    }

    /// <summary>Nodes drained at once: maxUnavailable, or maxUnavailablePercentage of the group (at least one).</summary>
    private int MaxUnavailable(int groupSize) =>
        _ng.MaxUnavailablePercentage is { } pct ? Math.Max(1, groupSize * pct / 100) : Math.Max(1, _ng.MaxUnavailable ?? 1);

    /// <summary>The pods a drain must move off a node: not DaemonSet pods, not mirror pods.</summary>
    private List<JsonObject> PodsOn(string node) =>
        _store.Kube.Items(KubeResources.Pods).Where(p => (string?)p["spec"]?["nodeName"] == node
            && (string?)KubeStore.ControllerOf(p)?["kind"] is not ("DaemonSet" or "Node")
            && KubeStore.Meta(p)["annotations"]?["kubernetes.io/config.mirror"] is null
            && (string?)p["status"]?["phase"] is not ("Succeeded" or "Failed")).ToList();
}
