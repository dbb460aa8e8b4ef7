using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>
/// Where the SMI TrafficSplits send a service's requests: for each split, its root service's requests go to its backends by
/// weight, and inside a backend evenly over the running pods its Service selects. A pod several backends select serves the
/// backend whose selector is the most specific (a stable Service selecting <c>app=api-service</c> and a canary one selecting
/// <c>app=api-service,version=canary</c> split the pods as a mesh does with its subsets). A service without a split (or whose
/// split weighs nothing) keeps the even spread over its pods.
/// </summary>
public static class TrafficSplitRouting
{
    /// <summary>The share of its service's requests each routed pod serves, by "namespace/pod". Call under the store's lock.</summary>
    public static Dictionary<string, double> Shares(KubeStore store, IReadOnlyList<JsonObject> runningPods, Func<JsonObject, string> serviceOf)
    {
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var split in store.Items(KubeResources.TrafficSplits))
        {
            var ns = KubeStore.NamespaceOf(split);
            var root = (string?)split["spec"]?["service"];
            var backends = (split["spec"]?["backends"] as JsonArray)?.OfType<JsonObject>()
                .Select(b => (Service: (string?)b["service"] ?? "", Weight: Math.Max(0, JsonNumbers.Double(b["weight"]) ?? 0))).ToList();
            if (root is null || backends is null) continue;
            var total = backends.Sum(b => b.Weight);
            if (total <= 0) continue;
            var pods = runningPods.Where(p => KubeStore.NamespaceOf(p) == ns).ToList();
            // Every pod of the root service is routed by the split: one no backend selects gets none of its requests.
            foreach (var pod in pods.Where(p => serviceOf(p) == root)) shares[Key(pod)] = 0;
            var members = new Dictionary<string, (int Specificity, int Backend)>(StringComparer.Ordinal);
            for (var i = 0; i < backends.Count; i++)
            {
                if (store.Get(KubeResources.Services, ns, backends[i].Service)?["spec"]?["selector"] is not JsonObject selector || selector.Count == 0) continue;
                var wanted = selector.ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "", StringComparer.Ordinal);
                foreach (var pod in pods)
                {
                    var labels = KubeStore.Labels(pod);
                    if (!wanted.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)) continue;
                    if (!members.TryGetValue(Key(pod), out var seen) || seen.Specificity < wanted.Count) members[Key(pod)] = (wanted.Count, i);
                }
            }
            foreach (var group in members.GroupBy(m => m.Value.Backend))
                foreach (var member in group)
                    shares[member.Key] = backends[group.Key].Weight / total / group.Count();
        }
        return shares;
    }

    public static string Key(JsonObject pod) => KubeStore.NamespaceOf(pod) + "/" + KubeStore.NameOf(pod);
}
